import type * as aq from 'arquero';
import { accuracyVsFractionFigure } from '../plots/index.js';
import { bootstrapClaim, claimData, drOfView } from './claims.js';
import { availableModels, concatTables, curvesOf, drOf, filterRows, fmt, realModels, sweepFor, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/** Widest layer probed in quick mode: the k×k solves of a d-wide layer cost ~d³ (d = 3136 takes minutes in JS). */
const QUICK_MAX_WIDTH = 1600;

/**
 * E10 (appendix): intermediate layers of the standard model (each block output, flattened), random
 * subsets, first task. In quick mode, layers wider than 1600 neurons are skipped (noted).
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e10 = await experimentE10(ctx);
 * showExperimentSummary(e10);
 * ```
 */
export async function experimentE10(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const zooModel = ZOO_ROLES.standard;
  const { models: zooModels, missingNote } = availableModels(ctx, [zooModel]);
  const probed = [...realModels(ctx), ...zooModels];
  const task = taskIds(ctx, MAIN_TASKS)[0];
  const notes = [...(missingNote ? [missingNote] : [])];
  const parts: aq.ColumnTable[] = [];
  const layers: string[] = [];
  for (const model of probed) {
    for (const { layer, d } of [...ctx.source.intermediateLayers(model), { layer: '', d: null }]) {
      if (ctx.quick && layer && (d === null || d > QUICK_MAX_WIDTH)) {
        notes.push(`Layer ${model}@${layer} (d = ${d ?? 'unknown'}) skipped in quick mode (wider than ${QUICK_MAX_WIDTH}); run without --quick.`);
        continue;
      }
      parts.push(await sweepFor(ctx, model, task, { layer: layer || undefined }));
      layers.push(layer ? `${model}@${layer}` : model);
    }
  }
  const results = concatTables(parts);
  const curves = parts.length ? curvesOf(results) : results;
  const dr = parts.length ? drOf(results, [0.9]) : results;
  const figures = probed.filter((model) => layers.some((l) => l.startsWith(`${model}@`))).map((model) => ({
    name: probed.length > 1 ? `layers_${model}` : 'layers',
    caption: `Accuracy vs fraction of neurons for intermediate layers of ${model} (${task})${realModels(ctx).includes(model) ? '; block outputs global-average-pooled' : ''}.`,
    spec: accuracyVsFractionFigure(filterRows(results, (r) => r.model === model || String(r.model).startsWith(`${model}@`)), { series: ['model'], title: `E10: layers of ${model}, ${task}` }),
  }));
  const verdicts: ExperimentVerdict[] = [];
  const data = layers.some((l) => l.includes('@')) ? await claimData(ctx, results) : undefined;
  for (const model of probed) {
    const inner = layers.filter((l) => l.startsWith(`${model}@`));
    if (!inner.length || !data) continue;
    verdicts.push(bootstrapClaim(data, {
      claim: `Intermediate layers are diffusely redundant too: DR(0.9) exceeds 0.5 for every block output (${model}); our reading of the appendix plots`,
      paper: 'plots only (appendix)',
      effectName: `min over ${inner.length} block outputs of DR(0.9)`, rule: { direction: 'greater', margin: 0.5 }, models: inner, tasks: [task],
    }, (v) => Math.min(...inner.map((l) => drOfView(v, l, task))),
    (v) => inner.map((l) => `${l}: ${fmt(drOfView(v, l, task))}`).join(', ') + `; penultimate ${fmt(drOfView(v, model, task))}`));
  }
  if (!verdicts.length) notes.push('No intermediate layer could be probed in this run.');
  return {
    id: 'E10', title: 'Intermediate layers',
    paperClaim: 'Appendix (plots only): random subsets of the flattened outputs of ResNet50\'s intermediate blocks also reach near full-layer accuracy, i.e. diffused redundancy is not specific to the penultimate layer.',
    tables: { results, curves, dr }, figures, verdicts, notes,
    seconds: (performance.now() - t0) / 1000,
  };
}
