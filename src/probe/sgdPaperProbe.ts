import { applyStandardizer, fitStandardizer } from './features.js';
import { fitSgdPaperProbe } from './sgdPaper.js';
import type { LinearModel } from './types.js';
import type { ProbeFitContext } from './probeContext.js';
import type { ProbeFit } from './registry.js';

/** The paper's own recipe (SGD with momentum, its epochs, weight decay and validation), see ./sgdPaper.ts. */
export async function fitSgdPaperKind(ctx: ProbeFitContext): Promise<ProbeFit> {
  const { trainLabels, linalg, classes, standardize, options: opts, selectTrain } = ctx;
  let model: LinearModel;
  let xs = await selectTrain();
  const stats = standardize ? fitStandardizer(xs) : undefined;
  if (stats) xs = applyStandardizer(xs, stats);
  const fit = await fitSgdPaperProbe(xs, trainLabels, { ...opts.sgd, linalg, classes });
  model = fit.model;
  if (stats) model = rawUnits(model, stats.mean, stats.invStd);
  const { epochs, stepEvery, lr, momentum, weightDecay, batchSize, valFraction, valSeed, evalEvery, seed } = fit.settings;
  const hyper = { standardize, epochs, stepEvery, lr, momentum, weightDecay, batchSize, valFraction, valSeed, evalEvery, seed, bestEpoch: fit.bestEpoch, bestValAccuracy: fit.bestValAccuracy };
  return { model, hyper };
}

/** Maps a head trained on (x − mean)·invStd back to raw features. */
function rawUnits(model: LinearModel, mean: Float64Array, invStd: Float64Array): LinearModel {
  const { k, classes: C } = model;
  const weights = new Float64Array(k * C);
  const bias = Float64Array.from(model.bias);
  for (let i = 0; i < k; i++) {
    for (let c = 0; c < C; c++) {
      const w = model.weights[i * C + c] * invStd[i];
      weights[i * C + c] = w;
      bias[c] -= mean[i] * w;
    }
  }
  return { k, classes: C, weights, bias };
}
