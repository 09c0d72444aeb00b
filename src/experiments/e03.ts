import type * as aq from 'arquero';
import { paretoFrontier } from '../summary/pareto.js';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { rowsToTable } from '../summary/groups.js';
import { accuracyVsFractionFigure, accuracyVsNeuronsFigure, paretoFigure } from '../plots/index.js';
import { bootstrapClaim, claimData, drOfView, meanOf } from './claims.js';
import { availableModels, concatTables, curvesOf, drOf, filterRows, fmt, sweepFor, taskIds, valueWhere } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

/**
 * E3 (Figs. 3/4/6, Table 1): architectures. Random-subset curves by fraction and by absolute neuron
 * count for every architecture in the zoo (and the adversarial model), DR(0.9) per model and task
 * (our Table 1), and per task the Pareto frontier of accuracy against the number of neurons across models.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e3 = await experimentE3(ctx);
 * showExperimentSummary(e3);
 * ```
 */
export async function experimentE3(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { models, missingNote } = availableModels(ctx, [...ZOO_ROLES.architectures, ZOO_ROLES.adversarial]);
  const tasks = taskIds(ctx, MAIN_TASKS);
  const parts: aq.ColumnTable[] = [];
  for (const task of tasks) for (const model of models) parts.push(await sweepFor(ctx, model, task));
  const results = concatTables(parts);
  const curves = curvesOf(results);
  const dr = drOf(results, [0.9]);
  const table1 = rowsToTable(models.map((model) => ({
    model,
    neurons: ctx.source.modelInfo(model).width,
    pretrainAccuracy: ctx.source.modelInfo(model).pretrainAccuracy ?? null,
    ...Object.fromEntries(tasks.flatMap((t) => [
      [`dr_${t}`, valueWhere(dr, { model, dataset: t, estimator: 'nearest' }, 'dr')],
      [`drInterp_${t}`, valueWhere(dr, { model, dataset: t, estimator: 'interpolated' }, 'dr')],
    ])),
  })), ['model', 'neurons', 'pretrainAccuracy', ...tasks.flatMap((t) => [`dr_${t}`, `drInterp_${t}`])]);
  const pareto = paretoFrontier(curves, { groupBy: ['dataset'], neuronsColumn: 'k', accuracyColumn: 'accuracyMean' });

  const figures: ExperimentFigure[] = [];
  for (const task of tasks) {
    const c = filterRows(curves, (r) => r.dataset === task);
    figures.push({
      name: `accuracy_fraction_${task}`, caption: `Accuracy vs fraction of neurons, by architecture (${task}).`,
      spec: accuracyVsFractionFigure(c, { series: ['model'], title: `E3: ${task}, by fraction` }),
    });
    // With one width for every model, k is a fixed multiple of the fraction: that plot would repeat the first.
    const widths = new Set((c.objects() as any[]).filter((r) => r.fraction === 1).map((r) => r.k));
    if (widths.size > 1) {
      figures.push({
        name: `accuracy_neurons_${task}`, caption: `Accuracy vs number of neurons, by architecture (${task}).`,
        spec: accuracyVsNeuronsFigure(c, { series: ['model'], title: `E3: ${task}, by number of neurons` }),
      });
    }
    figures.push({
      name: `pareto_${task}`, caption: `Mean accuracy vs number of neurons for every model and fraction (${task}); black: the Pareto frontier across models.`,
      spec: paretoFigure(c, { title: `E3: redundancy–performance frontier, ${task}` }),
    });
  }

  const verdicts: ExperimentVerdict[] = [];
  const archs = models.filter((m) => (ZOO_ROLES.architectures as readonly string[]).includes(m));
  if (archs.length >= 2 && tasks.length) {
    const data = await claimData(ctx, results);
    const observed = data.set.observed();
    // The most and least redundant architecture per task, fixed on the observed data, so resampling measures
    // the spread of that gap rather than the upward bias of a resampled max − min.
    const pairs = tasks.map((t) => {
      const vals = archs.map((m) => ({ m, v: drOfView(observed, m, t) })).filter((x) => Number.isFinite(x.v)).sort((x, y) => y.v - x.v);
      return { t, hi: vals[0]?.m, lo: vals[vals.length - 1]?.m };
    });
    verdicts.push(bootstrapClaim(data, {
      claim: 'The degree of diffused redundancy depends on the architecture: DR(0.9) of the most and least redundant architecture differ by more than 0.1 (mean over tasks)',
      paper: '0.35 (Table 1: max − min DR(0.9) over 6 models, mean over CIFAR10/100, Flowers, Pets)',
      effectName: 'DR(0.9) most − least redundant architecture (pair fixed on the observed data), mean over tasks',
      rule: { direction: 'greater', margin: 0.1 }, models: archs, tasks,
    }, (v) => meanOf(pairs.map((p) => (p.hi && p.lo && p.hi !== p.lo ? drOfView(v, p.hi, p.t) - drOfView(v, p.lo, p.t) : NaN))),
    (v) => pairs.map((p) => `${p.t}: ${archs.map((m) => `${m} ${fmt(drOfView(v, m, p.t))}`).join(', ')}`).join('; ')));
  }
  const frontNotes = tasks.map((task) => {
    const front = (pareto.objects() as any[]).filter((r) => r.dataset === task);
    return `Descriptive (no verdict): the redundancy–performance Pareto frontier across models on ${task}: ${front.map((r) => `${r.model}@${r.k}: ${fmt(r.accuracyMean)}`).join(', ')}.`;
  });
  return {
    id: 'E3', title: 'Architectures (Table 1)',
    paperClaim: 'Diffused redundancy appears in every architecture (CNNs and ViTs) but to different degrees (Table 1: DR(0.9) from 0.5 to 0.95 depending on model and task); plotted against the absolute number of neurons, the curves suggest a task-dependent redundancy–performance Pareto frontier.',
    tables: { results, curves, dr, table1, pareto, paperTable1: loadPaperNumbers('table1') }, figures, verdicts,
    notes: [
      'Zoo architectures stand in for the paper\'s: resnet ≈ ResNet, vgg ≈ VGG16-BN, mlp (no convolution), vit when the zoo has one; all have the same penultimate width unless their manifests say otherwise.',
      ...frontNotes,
      ...(missingNote ? [missingNote] : []),
    ],
    seconds: (performance.now() - t0) / 1000,
  };
}
