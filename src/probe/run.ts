import type { Linalg } from '../linalg/types.js';
import { referenceLinalg } from '../linalg/reference.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import { applyStandardizer, countClasses, fitStandardizer, gatherColumns } from './features.js';
import { evaluateProbe } from './evaluate.js';
import { centredMoments, type CentredMoments } from './gram.js';
import { DEFAULT_RIDGE_L2, RidgeGram, fitRidgeFromMoments } from './ridge.js';
import { DEFAULT_SOFTMAX_L2, fitSoftmaxProbe, type SoftmaxOptions } from './softmax.js';
import { fitSgdPaperProbe, type SgdPaperOptions } from './sgd-paper.js';
import type { LinearModel, ProbeKind, ProbeResult } from './types.js';

/**
 * The part of src/select's `Selection` a probe needs: either neuron `indices` (pick order) or a
 * d×k float32 `projection` (optionally applied to x − mean, as `centre: true` selections do).
 */
export interface ProbeSelection {
  method: string;
  k: number;
  d: number;
  fraction: number;
  seed?: number;
  rng?: string;
  indices?: Int32Array;
  projection?: { matrix: Float32Array; mean?: Float32Array };
}

export interface RunProbeOptions {
  /** n×d training features and their labels. */
  train: FeatureBlock;
  trainLabels: Int32Array;
  /** m×d test features and their labels. */
  test: FeatureBlock;
  testLabels: Int32Array;
  selection: ProbeSelection;
  probe: ProbeKind;
  /** Penalty λ of ridge / softmax (their docs give the scale); ignored by sgd-paper (see weightDecay). */
  l2?: number;
  /** Standardise the selected features with training statistics. */
  standardize?: boolean;
  linalg?: Linalg;
  /** Default: max label over train and test + 1. */
  classes?: number;
  /**
   * Shared moments of the full training layer: ridge then never touches the rows, softmax reuses
   * them to precondition (and reuses the factor of a larger nested subset: run seeds' subsets largest first).
   */
  ridgeGram?: RidgeGram;
  /** Extra softmax settings (tolerances, iterations, warm start). */
  softmax?: Omit<SoftmaxOptions, 'l2' | 'standardize' | 'linalg' | 'classes' | 'moments'>;
  /** sgd-paper settings (epochs, weightDecay, seed, ...). */
  sgd?: Omit<SgdPaperOptions, 'linalg' | 'classes'>;
  /** Keep per-row test predictions in the result. */
  keepPredictions?: boolean;
}

/** X·P (− meanᵀP when the selection centres) for a d×k projection, on linalg.matmul. */
async function project(x: FeatureBlock, sel: ProbeSelection, linalg: Linalg): Promise<FeatureBlock> {
  const k = sel.k;
  const out = await linalg.matmul(x.data, sel.projection!.matrix, x.n, x.d, k);
  if (sel.projection!.mean) {
    const shift = projectionShift(sel);
    for (let i = 0; i < x.n; i++) for (let a = 0; a < k; a++) out[i * k + a] -= shift[a];
  }
  return { data: out, n: x.n, d: k };
}

/** meanᵀ·P (length k) for a centring projection, zeros otherwise. */
function projectionShift(sel: ProbeSelection): Float64Array {
  const { matrix, mean } = sel.projection!;
  const k = sel.k;
  const shift = new Float64Array(k);
  if (mean) for (let j = 0; j < sel.d; j++) for (let a = 0; a < k; a++) shift[a] += mean[j] * matrix[j * k + a];
  return shift;
}

function checkSelection(sel: ProbeSelection, d: number): void {
  if (sel.d !== d) throw new RangeError(`runProbe: selection was made for d=${sel.d}, features have d=${d}`);
  if (sel.indices) {
    if (sel.indices.length !== sel.k) throw new RangeError(`runProbe: selection has ${sel.indices.length} indices but k=${sel.k}`);
  } else if (sel.projection) {
    if (sel.projection.matrix.length !== d * sel.k) throw new RangeError(`runProbe: projection has ${sel.projection.matrix.length} values, expected ${d}×${sel.k}`);
  } else {
    throw new RangeError(`runProbe: selection '${sel.method}' has neither indices nor a projection`);
  }
}

/**
 * Trains one probe of kind `probe` on the selected features of `train` and scores it on `test`.
 * Ridge with a shared `ridgeGram` needs no pass over the training rows; softmax gathers X_S once
 * as contiguous float32 and runs L-BFGS on it; sgd-paper follows the paper's recipe.
 * `seconds` covers selecting the training features and fitting, not test scoring.
 */
export async function runProbe(opts: RunProbeOptions): Promise<ProbeResult> {
  const { train, test, trainLabels, testLabels, selection: sel, probe } = opts;
  checkFeatureBlock(train, 'train features');
  checkFeatureBlock(test, 'test features');
  if (train.d !== test.d) throw new RangeError(`runProbe: train has d=${train.d} features but test has d=${test.d}`);
  if (trainLabels.length !== train.n) throw new RangeError(`runProbe: ${trainLabels.length} train labels for ${train.n} rows`);
  if (testLabels.length !== test.n) throw new RangeError(`runProbe: ${testLabels.length} test labels for ${test.n} rows`);
  checkSelection(sel, train.d);
  const linalg = opts.linalg ?? opts.ridgeGram?.linalg ?? referenceLinalg;
  const classes = opts.classes ?? opts.ridgeGram?.classes ?? Math.max(countClasses(trainLabels, 'train labels'), countClasses(testLabels, 'test labels'));
  const standardize = opts.standardize ?? false;
  const gram = opts.ridgeGram;
  if (gram && (gram.d !== train.d || gram.n !== train.n)) {
    throw new RangeError(`runProbe: shared Gram is for ${gram.n}×${gram.d} training features, got ${train.n}×${train.d}`);
  }

  const started = performance.now();
  const selectTrain = (): Promise<FeatureBlock> | FeatureBlock =>
    sel.indices ? gatherColumns(train, sel.indices) : project(train, sel, linalg);
  const sharedMoments = async (): Promise<CentredMoments | undefined> => {
    if (!gram) return undefined;
    if (sel.indices) return gram.forIndices(sel.indices);
    const m = await gram.forProjection(sel.projection!.matrix, sel.k);
    // Features are (x − mean)·P: shift the projected means the intercept is computed from.
    const shift = projectionShift(sel);
    for (let a = 0; a < sel.k; a++) m.mean[a] -= shift[a];
    return m;
  };

  let model: LinearModel;
  let hyper: Record<string, unknown>;
  if (probe === 'ridge') {
    const l2 = opts.l2 ?? DEFAULT_RIDGE_L2;
    const m = (await sharedMoments()) ?? await centredMoments(await selectTrain(), trainLabels, { linalg, classes });
    model = fitRidgeFromMoments(m, { l2, standardize });
    hyper = { l2, standardize, objective: '(1/2n)·‖XW+b−Y‖² + (λ/2)·‖W‖²' };
  } else if (probe === 'softmax') {
    const l2 = opts.l2 ?? DEFAULT_SOFTMAX_L2;
    const xs = await selectTrain();
    const whitening = gram && sel.indices ? gram.whiteningFor(sel.indices, l2, standardize) : undefined;
    const fit = await fitSoftmaxProbe(xs, trainLabels, { ...opts.softmax, l2, standardize, linalg, classes, moments: await sharedMoments(), whitening });
    model = fit.model;
    hyper = {
      l2, standardize, sklearnC: 1 / (train.n * l2), gtol: opts.softmax?.gtol ?? 1e-5, ftol: opts.softmax?.ftol ?? 1e-9,
      maxIterations: opts.softmax?.maxIterations ?? 500, iterations: fit.iterations, evaluations: fit.evaluations,
      stop: fit.stop, loss: fit.loss, gradInf: fit.gradInf,
    };
  } else if (probe === 'sgd-paper') {
    let xs = await selectTrain();
    const stats = standardize ? fitStandardizer(xs) : undefined;
    if (stats) xs = applyStandardizer(xs, stats);
    const fit = await fitSgdPaperProbe(xs, trainLabels, { ...opts.sgd, linalg, classes });
    model = fit.model;
    if (stats) model = rawUnits(model, stats.mean, stats.invStd);
    hyper = {
      standardize, epochs: fit.epochs, stepEvery: fit.stepEvery, lr: opts.sgd?.lr ?? 0.1, momentum: opts.sgd?.momentum ?? 0.9,
      weightDecay: opts.sgd?.weightDecay ?? 5e-4, batchSize: opts.sgd?.batchSize ?? 256, valFraction: opts.sgd?.valFraction ?? 0.1,
      valSeed: opts.sgd?.valSeed ?? 0, evalEvery: opts.sgd?.evalEvery ?? 5, seed: opts.sgd?.seed ?? 0,
      bestEpoch: fit.bestEpoch, bestValAccuracy: fit.bestValAccuracy,
    };
  } else {
    throw new RangeError(`runProbe: unknown probe '${String(probe)}' (expected softmax, sgd-paper or ridge)`);
  }
  const seconds = (performance.now() - started) / 1000;

  const testSelected = sel.indices ? gatherColumns(test, sel.indices) : await project(test, sel, linalg);
  const ev = await evaluateProbe(model, testSelected, testLabels, linalg);
  const result: ProbeResult = {
    accuracy: ev.accuracy,
    perClassAccuracy: ev.perClassAccuracy,
    k: sel.k,
    fraction: sel.fraction,
    selection: sel.method,
    probe,
    hyper,
    seconds,
  };
  if (sel.indices) result.indices = sel.indices;
  if (sel.seed !== undefined) result.seed = sel.seed;
  if (opts.keepPredictions) result.predictions = ev.predictions;
  return result;
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
