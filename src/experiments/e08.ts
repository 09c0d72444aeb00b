import type * as aq from 'arquero';
import { fairnessTable, perClassAccuracyTable } from '../summary/fairness.js';
import { giniVsAccuracyFigure } from '../plots/index.js';
import type { ReplicateView } from '../summary/bootstrap.js';
import { finiteMean } from '../summary/groups.js';
import { gini } from '../summary/inequality.js';
import { bootstrapClaim, claimData, meanOf } from './claims.js';
import { availableModels, concatTables, filterRows, fmt, realModels, spearman, sweepFor, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

/** Gini at accuracy `a` by linear interpolation along a model's (accuracy, Gini) points. */
function giniAt(points: Array<{ acc: number; gini: number }>, a: number): number {
  const p = [...points].sort((x, y) => x.acc - y.acc);
  for (let i = 1; i < p.length; i++) {
    if (a >= p[i - 1].acc && a <= p[i].acc) {
      const t = p[i].acc === p[i - 1].acc ? 0 : (a - p[i - 1].acc) / (p[i].acc - p[i - 1].acc);
      return p[i - 1].gini + t * (p[i].gini - p[i - 1].gini);
    }
  }
  return NaN;
}

/**
 * E8 (fairness figure): per-class accuracy of random-subset probes, its Gini coefficient against the
 * overall accuracy, one series per model, on every main task.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e8 = await experimentE8(ctx);
 * showExperimentSummary(e8);
 * ```
 */
export async function experimentE8(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const zoo = availableModels(ctx, [ZOO_ROLES.standard, ZOO_ROLES.adversarial, ...ZOO_ROLES.architectures.filter((m) => m !== ZOO_ROLES.standard)]);
  const { missingNote } = zoo;
  const models = [...realModels(ctx), ...zoo.models];
  const tasks = taskIds(ctx, MAIN_TASKS);
  const parts: aq.ColumnTable[] = [];
  for (const task of tasks) for (const model of models) parts.push(await sweepFor(ctx, model, task));
  const results = concatTables(parts);
  const fairness = fairnessTable(results);
  const perClass = perClassAccuracyTable(results);
  const rows = fairness.objects() as any[];
  const figures: ExperimentFigure[] = tasks.map((task) => ({
    name: `gini_${task}`,
    caption: `Gini coefficient of per-class accuracy vs overall accuracy, one point per fraction (${task}); error bars: ± std over seeds; grey: the paper's reported range.`,
    spec: giniVsAccuracyFigure(filterRows(results, (r) => r.dataset === task), { series: ['model'], title: `E8: ${task}` }),
  }));
  const verdicts: ExperimentVerdict[] = [];
  if (models.length && tasks.length) {
    const data = await claimData(ctx, results);
    const points = (v: ReplicateView, m: string, t: string) => v.fractions(m, t, 'random').map((f) => ({ f, acc: v.accuracy(m, t, 'random', f), gini: gini(v.perClass(m, t, 'random', f)) }));
    const rise = (v: ReplicateView, m: string, t: string) => {
      const p = points(v, m, t);
      return p.length >= 2 ? p[0].gini - p[p.length - 1].gini : NaN;
    };
    const pairsOf = models.flatMap((a, i) => models.slice(i + 1).map((b) => [a, b] as const));
    /** Mean |ΔGini| at 11 matched accuracies spanning the pair's common accuracy range. */
    const gap = (v: ReplicateView, a: string, b: string, t: string) => {
      const pa = points(v, a, t);
      const pb = points(v, b, t);
      const lo = Math.max(Math.min(...pa.map((p) => p.acc)), Math.min(...pb.map((p) => p.acc)));
      const hi = Math.min(Math.max(...pa.map((p) => p.acc)), Math.max(...pb.map((p) => p.acc)));
      if (!(hi > lo)) return NaN;
      return meanOf(Array.from({ length: 11 }, (_, s) => lo + ((hi - lo) * s) / 10).map((x) => Math.abs(giniAt(pa, x) - giniAt(pb, x))));
    };
    verdicts.push(bootstrapClaim(data, {
      claim: 'Fewer neurons → less fair: the Gini coefficient of per-class accuracy at the smallest fraction exceeds the full layer\'s, for every model and task',
      paper: 'Gini ≈ 0.03 near full accuracy rising to ≈ 0.5–0.64 at low accuracy (fairness figure)',
      effectName: 'min over models and tasks of Gini(smallest fraction) − Gini(full layer)', rule: { direction: 'greater', margin: 0 }, models, tasks,
    }, (v) => Math.min(...tasks.flatMap((t) => models.map((m) => rise(v, m, t)))),
    (v) => tasks.map((t) => `${t}: ${models.map((m) => `${m} +${fmt(rise(v, m, t))}`).join(', ')}`).join('; ')));
    if (pairsOf.length) {
      verdicts.push(bootstrapClaim(data, {
        claim: 'At equal accuracy, models fall on a roughly common Gini curve: the mean Gini gap between models at matched accuracy is below 0.1',
        paper: 'qualitative: models overlap on one Gini-vs-accuracy curve (fairness figure)',
        effectName: `|ΔGini| at 11 matched accuracies over the common range, mean over the ${pairsOf.length} model pairs × ${tasks.length} task(s) whose accuracy ranges overlap`,
        rule: { direction: 'less', margin: 0.1 }, models, tasks,
      }, (v) => finiteMean(tasks.flatMap((t) => pairsOf.map(([a, b]) => gap(v, a, b, t)))),
      (v) => tasks.map((t) => `${t}: largest pair gap ${fmt(Math.max(...pairsOf.map(([a, b]) => gap(v, a, b, t))))} (descriptive)`).join('; ')));
    }
  }
  return {
    id: 'E8', title: 'Fairness: per-class accuracy and Gini',
    paperClaim: 'Dropping neurons costs some classes much more than others: the Gini coefficient of per-class accuracy rises from ≈0.03 near full accuracy to ≈0.5–0.64 at low accuracy, and at equal accuracy different models fall on a roughly common curve.',
    tables: { fairness, perClass }, figures, verdicts,
    notes: ['Gini with the paper\'s formula on the per-class test accuracy averaged over seeds; the same probes as E1/E3.', ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
