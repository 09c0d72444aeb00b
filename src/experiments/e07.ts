import type * as aq from 'arquero';
import { selectionComparisonFigure } from '../plots/index.js';
import { availableModels, concatTables, curvesOf, filterRows, fmt, realModels, sweepFor, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

const METHODS = ['random', 'pca', 'pca-bottom', 'randproj'] as const;

/**
 * E7 (appendix): how the k features are chosen: random neurons vs the top-k and bottom-k principal
 * directions of the training features vs the paper's uniform random projection, on the adversarial and
 * standard models, first task.
 */
export async function experimentE7(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const zoo = availableModels(ctx, [ZOO_ROLES.adversarial, ZOO_ROLES.standard]);
  const { missingNote } = zoo;
  const models = [...realModels(ctx), ...zoo.models];
  const task = taskIds(ctx, MAIN_TASKS)[0];
  const parts: aq.ColumnTable[] = [];
  for (const model of models) parts.push(await sweepFor(ctx, model, task, { selections: [...METHODS] }));
  const results = concatTables(parts);
  const curves = curvesOf(results);
  const figures: ExperimentFigure[] = models.map((model) => ({
    name: `methods_${model}`,
    caption: `Accuracy vs fraction for random neurons, PCA top-k, PCA bottom-k and uniform random projection (${model}, ${task}).`,
    spec: selectionComparisonFigure(filterRows(results, (r) => r.model === model), { title: `E7: ${model}, ${task}` }),
  }));
  const verdicts: ExperimentVerdict[] = [];
  const rows = curves.objects() as any[];
  for (const model of models) {
    const acc = (sel: string, f: number) => rows.find((r) => r.model === model && r.selection === sel && Math.abs(r.fraction - f) < 1e-12)?.accuracyMean ?? NaN;
    const fr = [...new Set(rows.filter((r) => r.model === model && r.selection === 'random' && r.fraction < 1).map((r) => r.fraction as number))].sort((a, b) => a - b);
    const compare = (sel: string, better: boolean, fs: number[]) => {
      const pairs = fs.map((f) => ({ f, a: acc(sel, f), r: acc('random', f) })).filter((p) => Number.isFinite(p.a) && Number.isFinite(p.r));
      const ok = pairs.filter((p) => (better ? p.a > p.r : p.a < p.r)).length;
      return { holds: pairs.length ? ok > pairs.length / 2 : null, detail: pairs.map((p) => `f=${p.f}: ${fmt(p.a)} vs random ${fmt(p.r)}`).join(', ') };
    };
    verdicts.push({ claim: `Top principal directions beat random neurons at small k (f ≤ 0.1; ${model})`, ...compare('pca', true, fr.filter((f) => f <= 0.1)) });
    verdicts.push({ claim: `Bottom principal directions do worse than random neurons (${model})`, ...compare('pca-bottom', false, fr) });
    verdicts.push({ claim: `The uniform [0,1) random projection does worse than random neurons (${model})`, ...compare('randproj', false, fr) });
  }
  return {
    id: 'E7', title: 'PCA and random projections vs random neurons',
    paperClaim: 'The top principal components carry more information than random neurons at small k, while the bottom components and the (uniform, non-negative) random projection do poorly: random neurons are a strong, cheap choice.',
    tables: { results, curves }, figures, verdicts,
    notes: ['PCA on the probe\'s training features; projection without centring, as in the original (the probe\'s bias absorbs the mean).', ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
