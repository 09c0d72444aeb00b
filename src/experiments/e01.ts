import type * as aq from 'arquero';
import { drFromCurves } from '../summary/dr.js';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { accuracyVsFractionFigure, drCurveFigure } from '../plots/index.js';
import { availableModels, concatTables, filterRows, curvesOf, drOf, fmt, realModels, sweepFor, taskIds, valueWhere } from './common.js';
import { headlineVerdicts } from './realVerdicts.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

/** The paper's downstream set each of our tasks stands in for (for DR overlays). */
const PAPER_TASK: Record<string, string> = { digits: 'cifar10', 'digits-10shot': 'flowers102' };

/**
 * E1 (Fig. 1): standard vs adversarially trained model, random neuron subsets, every downstream task:
 * accuracy ± std against the fraction of neurons, and DR(δ) over δ with both estimators.
 * Tables: results (one row per probe), curves (mean ± std per fraction), dr (per δ and estimator).
 */
export async function experimentE1(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { standard, adversarial } = ZOO_ROLES;
  const { models, missingNote } = availableModels(ctx, [standard, adversarial]);
  const tasks = taskIds(ctx, MAIN_TASKS);
  const parts: aq.ColumnTable[] = [];
  const real = realModels(ctx);
  for (const task of tasks) for (const model of [...real, ...models]) parts.push(await sweepFor(ctx, model, task));
  const results = concatTables(parts);
  const curves = curvesOf(results);
  const dr = drOf(results, ctx.grid.deltas);
  const paperDr = drFromCurves(loadPaperNumbers('fig1'), { deltas: ctx.grid.deltas, groupBy: ['pretraining', 'downstream'], accuracyColumn: 'accuracy_mean' });

  const fig1 = loadPaperNumbers('fig1');
  const figures: ExperimentFigure[] = [];
  for (const task of tasks) {
    const paperTask = PAPER_TASK[task];
    figures.push({
      name: `accuracy_${task}`,
      caption: `Accuracy of probes on random neuron subsets vs fraction of neurons (${task}; mean ± std over seeds)${paperTask ? `; dashed: the paper's ResNet50 on ${paperTask} (Fig. 1)` : ''}.`,
      spec: accuracyVsFractionFigure(filterRows(results, (r) => r.dataset === task), {
        series: ['model'], title: `E1: ${task}`, paper: paperTask ? { rows: fig1, where: { downstream: paperTask }, series: ['pretraining'] } : undefined,
      }),
    });
    figures.push({
      name: `dr_${task}`,
      caption: `DR(δ) against δ (${task}); solid: interpolated estimator, dashed: the authors' nearest-grid estimator${paperTask ? `; dotted: the paper's ResNet50 on ${paperTask} (nearest-grid, from the Fig. 1 numbers)` : ''}.`,
      spec: drCurveFigure(filterRows(dr, (r) => r.dataset === task), {
        series: ['model'], title: `E1: DR(δ), ${task}`, xTitle: 'δ', yTitle: 'DR(δ)', yRange: [0, 1],
        paper: paperTask ? { rows: paperDr, where: { downstream: paperTask, estimator: 'nearest' }, series: ['pretraining'] } : undefined,
      }),
    });
  }

  const verdicts: ExperimentVerdict[] = await headlineVerdicts(ctx, results, real, tasks);
  const drAt = (model: string, task: string, est: string) => valueWhere(dr, { model, dataset: task, delta: 0.9, estimator: est }, 'dr');
  if (models.includes(standard) && tasks.length) {
    const task = tasks[0];
    const full = valueWhere(curves, { model: standard, dataset: task, fraction: 1 }, 'accuracyMean');
    const at20 = valueWhere(curves, { model: standard, dataset: task, fraction: 0.2 }, 'accuracyMean');
    verdicts.push({
      claim: `20% of random neurons reach at least 90% of the full layer's accuracy (paper: 0.832 vs 0.891 on CIFAR10); ${standard}, ${task}`,
      holds: Number.isFinite(at20) && Number.isFinite(full) ? at20 >= 0.9 * full : null,
      detail: `accuracy at f=0.2: ${fmt(at20)}; full layer: ${fmt(full)}; ratio ${fmt(at20 / full)}`,
    });
  }
  if (models.length === 2) {
    const per = tasks.map((t) => ({ t, std: drAt(standard, t, 'interpolated'), adv: drAt(adversarial, t, 'interpolated'), stdN: drAt(standard, t, 'nearest'), advN: drAt(adversarial, t, 'nearest') }));
    const wins = per.filter((p) => p.adv > p.std).length;
    verdicts.push({
      claim: 'Adversarial training raises diffused redundancy: DR(0.9) of the adversarial model exceeds the standard one\'s (majority of tasks)',
      holds: per.length ? wins > per.length / 2 : null,
      detail: per.map((p) => `${p.t}: ${adversarial} ${fmt(p.adv, 3)} vs ${standard} ${fmt(p.std, 3)} (interpolated); nearest-grid ${fmt(p.advN, 2)} vs ${fmt(p.stdN, 2)}`).join('; '),
    });
  }
  if (models.includes(standard) && tasks.includes('digits-10shot') && tasks.length > 1) {
    const per = tasks.map((t) => ({ t, v: drAt(standard, t, 'interpolated') }));
    const low = per.find((p) => p.t === 'digits-10shot')!.v;
    verdicts.push({
      claim: 'DR depends on the downstream task, lowest on the low-data task (Flowers in the paper)',
      holds: per.every((p) => Number.isFinite(p.v)) ? per.every((p) => p.t === 'digits-10shot' || p.v > low) : null,
      detail: per.map((p) => `${p.t}: DR(0.9) = ${fmt(p.v)}`).join('; ') + ` (${standard}, interpolated)`,
    });
  }
  const notes = [
    `Probe: ${ctx.grid.probe} on cached features (no augmentation), seeds ${ctx.grid.seeds.join(', ')}; the full layer is one run.`,
    ...(missingNote ? [missingNote] : []),
  ];
  return {
    id: 'E1', title: 'Random neuron subsets: standard vs adversarial pre-training',
    paperClaim: 'A random 20% of the penultimate neurons of ResNet50 nearly matches the whole layer on CIFAR10; adversarially trained (L2) models have more diffused redundancy; the critical mass depends on the downstream task (Flowers lowest DR).',
    tables: { results, curves, dr, paperDr }, figures, verdicts, notes, seconds: (performance.now() - t0) / 1000,
  };
}
