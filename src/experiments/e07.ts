import type * as aq from 'arquero';
import { selectionComparisonFigure } from '../plots/index.js';
import { computePcaBasis } from '../select/pca.js';
import { kFromFraction } from '../select/index.js';
import type { ReplicateView } from '../summary/bootstrap.js';
import { NULL_EIGENVALUE_RTOL, nullDimension } from '../summary/deadUnits.js';
import { bootstrapClaim, claimData, meanOf } from './claims.js';
import { availableModels, concatTables, curvesOf, filterRows, fmt, realModels, sweepFor, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

const METHODS = ['random', 'pca', 'pca-bottom', 'randproj'] as const;

/**
 * E7 (appendix): how the k features are chosen: random neurons vs the top-k and bottom-k principal
 * directions of the training features vs the paper's uniform random projection, on the adversarial and
 * standard models, first task.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e7 = await experimentE7(ctx);
 * showExperimentSummary(e7);
 * ```
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
  const data = models.length ? await claimData(ctx, results) : undefined;
  const deadNotes: string[] = [];
  for (const model of models) {
    const { train } = await ctx.source.splits(model, task);
    const d = train.features.d;
    const nullDim = nullDimension((await computePcaBasis(train.features, ctx.linalg)).values);
    const fr = data!.set.observed().fractions(model, task, 'random').filter((f) => f < 1);
    const kOf = (f: number) => kFromFraction(f, d);
    // Bottom-k directions with k ≤ nullDim lie in the dead subspace: a probe there sees constants, so the comparison says nothing.
    const live = fr.filter((f) => kOf(f) > nullDim);
    if (nullDim > 0) {
      deadNotes.push(`${model}: ${nullDim} of ${d} principal directions have no variance (eigenvalue ≤ ${NULL_EIGENVALUE_RTOL} × the largest: dead units); PCA bottom-k at k ≤ ${nullDim} lies in that dead subspace and is left out of the bottom-PC claim (${fr.length - live.length} of ${fr.length} fractions).`);
    }
    const gap = (v: ReplicateView, a: string, b: string, fs: number[]) => meanOf(fs.map((f) => v.accuracy(model, task, a, f) - v.accuracy(model, task, b, f)));
    const pairs = (v: ReplicateView, sel: string, fs: number[]) => fs.map((f) => `f=${f}: ${fmt(v.accuracy(model, task, sel, f))} vs random ${fmt(v.accuracy(model, task, 'random', f))}`).join(', ');
    const small = fr.filter((f) => f <= 0.1);
    const spec = (claim: string, effectName: string) => ({ claim, paper: 'qualitative (appendix figure)', effectName, rule: { direction: 'greater' as const, margin: 0 }, models: [model], tasks: [task] });
    verdicts.push(bootstrapClaim(data!, spec(`Top principal directions beat random neurons at small k (f ≤ 0.1; ${model})`, `accuracy PCA top-k − random-k, mean over f = ${small.join(', ')}`),
      (v) => gap(v, 'pca', 'random', small), (v) => pairs(v, 'pca', small)));
    verdicts.push(bootstrapClaim(data!, spec(`Bottom principal directions do worse than random neurons (${model})`,
      live.length ? `accuracy random-k − PCA bottom-k, mean over f = ${live.join(', ')} (bottom-k not inside the dead subspace)` : 'undefined: every tested bottom-k lies in the dead subspace'),
    (v) => (live.length ? gap(v, 'random', 'pca-bottom', live) : NaN), (v) => pairs(v, 'pca-bottom', fr) + (nullDim ? `; bottom-k inside the ${nullDim}-dimensional dead subspace for k ≤ ${nullDim}` : '')));
    verdicts.push(bootstrapClaim(data!, spec(`The uniform [0,1) random projection does worse than random neurons (${model})`, `accuracy random-k − projection, mean over f = ${fr.join(', ')}`),
      (v) => gap(v, 'random', 'randproj', fr), (v) => pairs(v, 'randproj', fr)));
  }
  return {
    id: 'E7', title: 'PCA and random projections vs random neurons',
    paperClaim: 'The top principal components carry more information than random neurons at small k, while the bottom components and the (uniform, non-negative) random projection do poorly: random neurons are a strong, cheap choice.',
    tables: { results, curves }, figures, verdicts,
    notes: ['PCA on the probe\'s training features; projection without centring, as in the original (the probe\'s bias absorbs the mean).', ...deadNotes, ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
