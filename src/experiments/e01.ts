import type * as aq from 'arquero';
import { drFromCurves } from '../summary/dr.js';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { accuracyVsFractionFigure, drCurveFigure } from '../plots/index.js';
import type { ReplicateView } from '../summary/bootstrap.js';
import { bootstrapClaim, claimData, drOfView, meanOf } from './claims.js';
import { availableModels, concatTables, filterRows, curvesOf, drOf, fmt, realModels, sweepFor, taskIds } from './common.js';
import { headlineVerdicts } from './realVerdicts.js';
import { LOW_DATA_TASK, MAIN_TASKS, OWN_DISTRIBUTION_TASK, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

/** The paper's downstream set each of our tasks stands in for (for DR overlays). */
const PAPER_TASK: Record<string, string> = { digits: 'cifar10', 'digits-10shot': 'flowers102' };

/**
 * E1 (Fig. 1): standard vs adversarially trained model, random neuron subsets, every downstream task:
 * accuracy ± std against the fraction of neurons, and DR(δ) over δ with both estimators.
 * Tables: results (one row per probe), curves (mean ± std per fraction), dr (per δ and estimator).
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e1 = await experimentE1(ctx);
 * showExperimentSummary(e1);
 * ```
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
  const drTableAll = drOf(results, ctx.grid.deltas);
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
      spec: drCurveFigure(filterRows(drTableAll, (r) => r.dataset === task), {
        series: ['model'], title: `E1: DR(δ), ${task}`, xTitle: 'δ', yTitle: 'DR(δ)', yRange: [0, 1],
        paper: paperTask ? { rows: paperDr, where: { downstream: paperTask, estimator: 'nearest' }, series: ['pretraining'] } : undefined,
      }),
    });
  }

  const verdicts: ExperimentVerdict[] = [];
  const data = await claimData(ctx, results);
  verdicts.push(...headlineVerdicts(data, real, tasks));
  const dr = (v: ReplicateView, model: string, task: string) => drOfView(v, model, task);
  if (models.includes(standard) && tasks.length) {
    const task = tasks[0];
    verdicts.push(bootstrapClaim(data, {
      claim: `20% of random neurons reach at least 90% of the full layer's accuracy (${standard}, ${task})`,
      paper: '0.832 / 0.891 = 0.934 (ResNet50, CIFAR10, Fig. 1)',
      effectName: 'accuracy(f = 0.2) / accuracy(full layer)', rule: { direction: 'greater', margin: 0.9 },
      models: [standard], tasks: [task],
    }, (v) => v.accuracy(standard, task, 'random', 0.2) / v.accuracy(standard, task, 'random', 1),
    (v) => `accuracy at f=0.2: ${fmt(v.accuracy(standard, task, 'random', 0.2))}; full layer: ${fmt(v.accuracy(standard, task, 'random', 1))}`));
  }
  // The pre-training distribution (fashion) is E9's claim; here only the transfer tasks, so no number counts twice.
  const transfer = tasks.filter((t) => t !== OWN_DISTRIBUTION_TASK);
  if (models.length === 2 && transfer.length) {
    verdicts.push(bootstrapClaim(data, {
      claim: 'Adversarial training raises diffused redundancy: DR(0.9) of the adversarial model exceeds the standard one\'s (mean over transfer tasks)',
      paper: '+0.19 (interpolated DR(0.9), adversarial − standard ResNet50, mean over CIFAR10/100, Flowers, Pets; Fig. 1)',
      effectName: `DR(0.9) ${adversarial} − ${standard}, mean over ${transfer.join(', ')}`, rule: { direction: 'greater', margin: 0 },
      models: [standard, adversarial], tasks: transfer,
    }, (v) => meanOf(transfer.map((t) => dr(v, adversarial, t) - dr(v, standard, t))),
    (v) => transfer.map((t) => `${t}: ${adversarial} ${fmt(dr(v, adversarial, t))} vs ${standard} ${fmt(dr(v, standard, t))}`).join('; ')));
  }
  if (models.includes(standard) && tasks.includes(LOW_DATA_TASK) && tasks.length > 1) {
    const others = tasks.filter((t) => t !== LOW_DATA_TASK);
    verdicts.push(bootstrapClaim(data, {
      claim: `DR depends on the downstream task, lowest on the low-data task (${LOW_DATA_TASK}; Flowers in the paper)`,
      paper: '+0.34 (interpolated DR(0.9) of ResNet50: next-lowest task CIFAR100 0.596 − Flowers 0.261)',
      effectName: `min over other tasks of DR(0.9)(task) − DR(0.9)(${LOW_DATA_TASK}), ${standard}`, rule: { direction: 'greater', margin: 0 },
      models: [standard], tasks,
    }, (v) => Math.min(...others.map((t) => dr(v, standard, t) - dr(v, standard, LOW_DATA_TASK))),
    (v) => tasks.map((t) => `${t}: DR(0.9) = ${fmt(dr(v, standard, t))}`).join('; ')));
  }
  const notes = [
    `Probe: ${ctx.grid.probe} on cached features (no augmentation), seeds ${ctx.grid.seeds.join(', ')}; the full layer is one run.`,
    ...(missingNote ? [missingNote] : []),
  ];
  return {
    id: 'E1', title: 'Random neuron subsets: standard vs adversarial pre-training',
    paperClaim: 'A random 20% of the penultimate neurons of ResNet50 nearly matches the whole layer on CIFAR10; adversarially trained (L2) models have more diffused redundancy; the critical mass depends on the downstream task (Flowers lowest DR).',
    tables: { results, curves, dr: drTableAll, paperDr }, figures, verdicts, notes, seconds: (performance.now() - t0) / 1000,
  };
}
