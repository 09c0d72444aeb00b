import type * as aq from 'arquero';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { chartSpec, type ChartSeries } from '../plots/charts.js';
import { bootstrapClaim, claimData, drOfView, meanOf } from './claims.js';
import { availableModels, concatTables, curvesOf, drOf, fmt, sweepFor, taskIds } from './common.js';
import { ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

const E9_TEXT = {
  id: 'E9', title: 'Own pre-training distribution and distribution shift',
  paperClaim: 'On the harder ImageNet task (a probe on ResNet50\'s own layer) more neurons are needed, and the adversarial model saturates earlier; under the ImageNet-V2 shift accuracy drops but the relative curve keeps its shape.',
} as const;

/**
 * E9 (appendix): the model's own pre-training distribution and a distribution shift. Probes on
 * Fashion-MNIST features (the zoo's pre-training images; ImageNet in the paper), tested on clean images
 * and on images with Gaussian pixel noise (ImageNet-V2 in the paper). Curves are shown as the ratio to
 * the full layer so they compare with the paper's.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e9 = await experimentE9(ctx);
 * showExperimentSummary(e9);
 * ```
 */
export async function experimentE9(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { models, missingNote } = availableModels(ctx, [ZOO_ROLES.standard, ZOO_ROLES.adversarial]);
  const tasks = taskIds(ctx, ['fashion', 'fashion-shift']);
  const notes = [...(missingNote ? [missingNote] : [])];
  if (tasks.length < 2) {
    notes.push('Fashion-MNIST is not available on this machine: E9 has no data (install Debian\'s dataset-fashion-mnist or put the files in data/datasets/fashion-mnist/).');
    return { ...E9_TEXT, tables: {}, figures: [], verdicts: [], notes, seconds: (performance.now() - t0) / 1000 };
  }
  const parts: aq.ColumnTable[] = [];
  for (const task of tasks) for (const model of models) parts.push(await sweepFor(ctx, model, task));
  const results = concatTables(parts);
  const curves = curvesOf(results);
  const dr = tasks.length ? drOf(results, [0.9]) : results;
  const rows = curves.objects() as any[];
  const ours: ChartSeries[] = [];
  for (const model of models) {
    for (const task of tasks) {
      const pts = rows.filter((r) => r.model === model && r.dataset === task).sort((a, b) => a.fraction - b.fraction);
      const full = pts.find((r) => r.fraction === 1)?.accuracyMean ?? NaN;
      ours.push({ name: `${model} ${task}`, x: pts.map((r) => r.fraction), y: pts.map((r) => r.accuracyMean / full) });
    }
  }
  const paper = loadPaperNumbers('imagenetPlaces').objects() as any[];
  const paperSeries: ChartSeries[] = [];
  for (const pre of ['imagenet1k_standard', 'imagenet1k_adv_l2_eps3']) {
    for (const ds of ['imagenet_val', 'imagenet_v2']) {
      const pts = paper.filter((r) => r.pretraining === pre && r.downstream === ds).sort((a, b) => a.fraction - b.fraction);
      const full = pts.find((r) => r.fraction === 1)?.accuracy_mean;
      // The four paper curves nearly coincide once divided by their full-layer accuracy: a colour per
      // model and a dash per test set keep them apart.
      if (pts.length && full) {
        paperSeries.push({
          name: `paper ResNet50 ${pre.includes('adv') ? 'L2' : 'std'} ${ds}`, x: pts.map((r) => r.fraction), y: pts.map((r) => r.accuracy_mean / full),
          dashed: true, dash: ds === 'imagenet_v2' ? 'dot' : 'dash', colour: pre.includes('adv') ? '#555555' : '#aaaaaa',
        });
      }
    }
  }
  const figures = [{
    name: 'ratio_shift',
    caption: 'Accuracy relative to the full layer vs fraction of neurons: clean and shifted test images; dashed: the paper\'s ResNet50 on ImageNet val / V2.',
    spec: chartSpec([...ours, ...paperSeries], { title: 'E9: own distribution and shift', xTitle: 'fraction of neurons', yTitle: 'accuracy / full-layer accuracy', logX: true }),
  }];
  const verdicts: ExperimentVerdict[] = [];
  if (tasks.length === 2 && models.length) {
    const data = await claimData(ctx, results);
    const [clean, shifted] = ['fashion', 'fashion-shift'];
    const paperShape: Record<string, string> = {
      [ZOO_ROLES.standard]: '−0.04 (interpolated DR(0.9) of standard ResNet50: ImageNet-V2 0.512 vs val 0.549)',
      [ZOO_ROLES.adversarial]: '−0.00 (adversarial ResNet50: V2 0.667 vs val 0.668)',
    };
    for (const model of models) {
      const fr = data.set.observed().fractions(model, clean, 'random');
      verdicts.push(bootstrapClaim(data, {
        claim: `Under distribution shift accuracy drops (mean over fractions; ${model})`,
        paper: 'ImageNet-V2 below ImageNet val at every fraction (appendix figure)',
        effectName: `accuracy clean − shifted, mean over ${fr.length} fractions`, rule: { direction: 'greater', margin: 0 }, models: [model], tasks,
      }, (v) => meanOf(fr.map((f) => v.accuracy(model, clean, 'random', f) - v.accuracy(model, shifted, 'random', f))),
      (v) => fr.map((f) => `f=${f}: ${fmt(v.accuracy(model, clean, 'random', f))} vs ${fmt(v.accuracy(model, shifted, 'random', f))}`).join(', ')));
      verdicts.push(bootstrapClaim(data, {
        claim: `Under distribution shift the relative curve keeps its shape: DR(0.9) changes by at most 0.1 (${model})`,
        paper: paperShape[model] ?? '',
        effectName: 'DR(0.9) shifted − clean', rule: { direction: 'within', margin: 0.1 }, models: [model], tasks,
      }, (v) => drOfView(v, model, shifted) - drOfView(v, model, clean),
      (v) => `DR(0.9) clean ${fmt(drOfView(v, model, clean))}, shifted ${fmt(drOfView(v, model, shifted))}`));
    }
    if (models.length === 2) {
      const [s0, a0] = [ZOO_ROLES.standard, ZOO_ROLES.adversarial];
      verdicts.push(bootstrapClaim(data, {
        claim: 'On its own pre-training distribution the adversarial model reaches its full-layer accuracy with fewer neurons (higher DR(0.9)); paper: ImageNet val',
        paper: '+0.12 (interpolated DR(0.9) on ImageNet val: adversarial 0.668 vs standard 0.549)',
        effectName: `DR(0.9) ${a0} − ${s0} on ${clean}`, rule: { direction: 'greater', margin: 0 }, models: [s0, a0], tasks: [clean],
      }, (v) => drOfView(v, a0, clean) - drOfView(v, s0, clean),
      (v) => `DR(0.9): ${a0} ${fmt(drOfView(v, a0, clean))} vs ${s0} ${fmt(drOfView(v, s0, clean))}`));
    }
  }
  return {
    ...E9_TEXT,
    tables: { results, curves, dr }, figures, verdicts, notes,
    seconds: (performance.now() - t0) / 1000,
  };
}
