import type * as aq from 'arquero';
import { fairnessTable, perClassAccuracyTable } from '../summary/fairness.js';
import { giniVsAccuracyFigure } from '../plots/index.js';
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
    caption: `Gini coefficient of per-class accuracy vs overall accuracy, one point per fraction (${task}).`,
    spec: giniVsAccuracyFigure(filterRows(fairness, (r) => r.dataset === task), { series: ['model'], title: `E8: ${task}` }),
  }));
  const verdicts: ExperimentVerdict[] = [];
  for (const task of tasks) {
    const per = models.map((m) => {
      const pts = rows.filter((r) => r.model === m && r.dataset === task);
      return { m, rho: spearman(pts.map((r) => r.accuracyMean), pts.map((r) => r.gini)), pts: pts.map((r) => ({ acc: r.accuracyMean as number, gini: r.gini as number })) };
    });
    verdicts.push({
      claim: `Fewer neurons → less fair: Gini rises as accuracy falls, for every model (${task})`,
      holds: per.length ? per.every((p) => p.rho < -0.8) : null,
      detail: per.map((p) => `${p.m}: Spearman(acc, Gini) = ${fmt(p.rho, 2)}, Gini ${fmt(Math.min(...p.pts.map((q) => q.gini)))}…${fmt(Math.max(...p.pts.map((q) => q.gini)))}`).join('; '),
    });
    let worst = 0;
    let compared = 0;
    for (let i = 0; i < per.length; i++) {
      for (let j = i + 1; j < per.length; j++) {
        const lo = Math.max(Math.min(...per[i].pts.map((p) => p.acc)), Math.min(...per[j].pts.map((p) => p.acc)));
        const hi = Math.min(Math.max(...per[i].pts.map((p) => p.acc)), Math.max(...per[j].pts.map((p) => p.acc)));
        for (let s = 0; s <= 10 && hi > lo; s++) {
          const a = lo + ((hi - lo) * s) / 10;
          const g = Math.abs(giniAt(per[i].pts, a) - giniAt(per[j].pts, a));
          if (Number.isFinite(g)) { worst = Math.max(worst, g); compared++; }
        }
      }
    }
    verdicts.push({
      claim: `At equal accuracy, models fall on a roughly common Gini curve (largest gap between models ≤ 0.1; ${task})`,
      holds: compared ? worst <= 0.1 : null,
      detail: `largest |ΔGini| at matched accuracy: ${fmt(worst)} over ${compared} comparisons`,
    });
  }
  return {
    id: 'E8', title: 'Fairness: per-class accuracy and Gini',
    paperClaim: 'Dropping neurons costs some classes much more than others: the Gini coefficient of per-class accuracy rises from ≈0.03 near full accuracy to ≈0.5–0.64 at low accuracy, and at equal accuracy different models fall on a roughly common curve.',
    tables: { fairness, perClass }, figures, verdicts,
    notes: ['Gini with the paper\'s formula on the per-class test accuracy averaged over seeds; the same probes as E1/E3.', ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
