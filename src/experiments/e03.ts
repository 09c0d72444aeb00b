import type * as aq from 'arquero';
import { paretoFrontier } from '../summary/pareto.js';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { rowsToTable } from '../summary/groups.js';
import { accuracyVsFractionFigure, accuracyVsNeuronsFigure, paretoFigure } from '../plots/index.js';
import { availableModels, concatTables, curvesOf, drOf, filterRows, fmt, sweepFor, taskIds, valueWhere } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

/**
 * E3 (Figs. 3/4/6, Table 1): architectures. Random-subset curves by fraction and by absolute neuron
 * count for every architecture in the zoo (and the adversarial model), DR(0.9) per model and task
 * (our Table 1), and per task the Pareto frontier of accuracy against the number of neurons across models.
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
  if (archs.length >= 2) {
    for (const task of tasks) {
      const vals = archs.map((m) => ({ m, v: valueWhere(dr, { model: m, dataset: task, estimator: 'interpolated' }, 'dr') }));
      const finite = vals.filter((x) => Number.isFinite(x.v)).map((x) => x.v);
      const range = finite.length ? Math.max(...finite) - Math.min(...finite) : NaN;
      verdicts.push({
        claim: `The degree of diffused redundancy depends on the architecture (DR(0.9) differs by ≥ 0.1 across architectures; ${task})`,
        holds: finite.length >= 2 ? range >= 0.1 : null,
        detail: `${vals.map((x) => `${x.m} ${fmt(x.v)}`).join(', ')} (interpolated); range ${fmt(range)}`,
      });
    }
  }
  for (const task of tasks) {
    const front = (pareto.objects() as any[]).filter((r) => r.dataset === task);
    verdicts.push({
      claim: `A task-level redundancy–performance Pareto frontier across models (${task}); descriptive`,
      holds: null,
      detail: `frontier: ${front.map((r) => `${r.model}@${r.k}: ${fmt(r.accuracyMean)}`).join(', ')}`,
    });
  }
  return {
    id: 'E3', title: 'Architectures (Table 1)',
    paperClaim: 'Diffused redundancy appears in every architecture (CNNs and ViTs) but to different degrees (Table 1: DR(0.9) from 0.5 to 0.95 depending on model and task); plotted against the absolute number of neurons, the curves suggest a task-dependent redundancy–performance Pareto frontier.',
    tables: { results, curves, dr, table1, pareto, paperTable1: loadPaperNumbers('table1') }, figures, verdicts,
    notes: [
      'Zoo architectures stand in for the paper\'s: resnet ≈ ResNet, vgg ≈ VGG16-BN, mlp (no convolution), vit when the zoo has one; all have the same penultimate width unless their manifests say otherwise.',
      ...(missingNote ? [missingNote] : []),
    ],
    seconds: (performance.now() - t0) / 1000,
  };
}
