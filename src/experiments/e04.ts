import { bootstrapClaim, claimData, drOfView, meanOf } from './claims.js';
import { availableModels, fmt } from './common.js';
import { compareModels } from './compareModels.js';
import { ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/**
 * E4 (Figs. 3/4/6): pre-training data. The model pre-trained on all Fashion-MNIST images and classes vs
 * one on 10% of the images and one on 5 of the 10 classes (standing for ImageNet-21k vs ImageNet-1k).
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e4 = await experimentE4(ctx);
 * showExperimentSummary(e4);
 * ```
 */
export async function experimentE4(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const [full, ...smaller] = ZOO_ROLES.pretrainData;
  const { models, missingNote } = availableModels(ctx, ZOO_ROLES.pretrainData);
  const cmp = await compareModels(ctx, 'E4', models);
  const verdicts: ExperimentVerdict[] = [];
  const data = await claimData(ctx, cmp.results);
  for (const small of smaller.filter((m) => models.includes(m) && models.includes(full))) {
    verdicts.push(bootstrapClaim(data, {
      claim: `More pre-training data gives more diffused redundancy: DR(0.9) of ${full} exceeds ${small}'s (mean over tasks)`,
      paper: 'qualitative: ViT-S/16 pre-trained on ImageNet-21k has more DR than on ImageNet-1k (Figs. 3/4/6)',
      effectName: `DR(0.9) ${full} − ${small}, mean over ${cmp.tasks.join(', ')}`, rule: { direction: 'greater', margin: 0 },
      models: [full, small], tasks: cmp.tasks,
    }, (v) => meanOf(cmp.tasks.map((t) => drOfView(v, full, t) - drOfView(v, small, t))),
    (v) => cmp.tasks.map((t) => `${t}: ${fmt(drOfView(v, full, t))} vs ${fmt(drOfView(v, small, t))}`).join('; ')));
  }
  return {
    id: 'E4', title: 'Pre-training data',
    paperClaim: 'The dataset used for pre-training governs the degree of diffused redundancy: ViT-S pre-trained on the larger ImageNet-21k has more diffused redundancy than the same model pre-trained on ImageNet-1k.',
    tables: { results: cmp.results, curves: cmp.curves, dr: cmp.dr }, figures: cmp.figures, verdicts,
    notes: [
      `${full}: all 60,000 Fashion-MNIST training images, 10 classes; resnet-data10: 10% of the images; resnet-classes5: 5 of the 10 classes (the zoo's stand-ins for more vs less pre-training data).`,
      ...(missingNote ? [missingNote] : []),
    ],
    seconds: (performance.now() - t0) / 1000,
  };
}
