import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { LinearModel, ProbeEvaluation } from './types.js';
import { checkIndices, gatherColumns } from './features.js';

/**
 * Scores `test` (n×k float32) with a linear head and compares the arg-max with the labels.
 * `classes` defaults to the model's; test labels ≥ classes count as errors.
 * The product X·W runs on `linalg.matmul`.
 * @example
 * ```ts
 * const { accuracy, perClassAccuracy } = await evaluateProbe(model, testSub, test.labels);
 * ```
 */
export async function evaluateProbe(
  model: LinearModel,
  test: FeatureBlock,
  testLabels: Int32Array,
  linalg?: Linalg,
): Promise<ProbeEvaluation> {
  linalg ??= await libraryLinalg();
  checkFeatureBlock(test, 'test features');
  if (test.d !== model.k) throw new RangeError(`evaluateProbe: model expects k=${model.k} features, test block has d=${test.d}`);
  if (testLabels.length !== test.n) throw new RangeError(`evaluateProbe: ${testLabels.length} labels for ${test.n} test rows`);
  const w32 = Float32Array.from(model.weights);
  const scores = test.n > 0 ? await linalg.matmul(test.data, w32, test.n, model.k, model.classes) : new Float32Array(0);
  return scoreAccuracy(scores, model.bias, testLabels, Math.max(model.classes, 0));
}

/**
 * {@link evaluateProbe} of a head over the columns `indices` of the full n×d block `test`; the
 * product is {@link columnsTimes}, so wide subsets are never gathered.
 */
export async function evaluateProbeOnColumns(
  model: LinearModel,
  test: FeatureBlock,
  indices: Int32Array,
  testLabels: Int32Array,
  linalg?: Linalg,
): Promise<ProbeEvaluation> {
  checkFeatureBlock(test, 'test features');
  if (indices.length !== model.k) throw new RangeError(`evaluateProbeOnColumns: model expects k=${model.k} features, got ${indices.length} indices`);
  if (testLabels.length !== test.n) throw new RangeError(`evaluateProbeOnColumns: ${testLabels.length} labels for ${test.n} test rows`);
  const scores = await columnsTimes(test, indices, model.weights, model.classes, linalg, 'evaluateProbeOnColumns: index');
  return scoreAccuracy(scores, model.bias, testLabels, Math.max(model.classes, 0));
}

/**
 * X[:, indices]·W in float32 on `linalg.matmul`, for X n×d and W k×width row-major (k = indices.length).
 * A wide subset (k ≥ d/{@link SCATTER_MIN_SHARE_INVERSE}) is not gathered: W is scattered to d rows
 * (zeros elsewhere; a repeated column adds its rows, X[:, c]·w₁ + X[:, c]·w₂ = X[:, c]·(w₁ + w₂)) and
 * multiplied with the whole block, since a gather writes n×k floats at several nanoseconds each while
 * the product reads n×d once. A non-finite value in a column outside the subset would reach every
 * score through 0·∞, so a product that is not finite is recomputed from the gathered columns.
 * @param what how an out-of-range column is named in the error (the caller's words).
 * @returns n×width row-major Float32Array.
 */
export async function columnsTimes(x: FeatureBlock, indices: Int32Array, w: ArrayLike<number>, width: number, linalg?: Linalg, what = 'columnsTimes: column'): Promise<Float32Array> {
  linalg ??= await libraryLinalg();
  const k = indices.length;
  if (w.length !== k * width) throw new RangeError(`columnsTimes: W has ${w.length} values, expected ${k}×${width}`);
  checkIndices(indices, x.d, what);
  if (x.n === 0 || width === 0) return new Float32Array(x.n * width);
  const gathered = async () => linalg!.matmul(gatherColumns(x, indices).data, Float32Array.from(w), x.n, k, width);
  if (k * SCATTER_MIN_SHARE_INVERSE < x.d) return gathered();
  const scattered = new Float64Array(x.d * width);
  for (let t = 0; t < k; t++) {
    const at = indices[t] * width;
    for (let j = 0; j < width; j++) scattered[at + j] += w[t * width + j];
  }
  const out = await linalg.matmul(x.data, Float32Array.from(scattered), x.n, x.d, width);
  for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) return gathered();
  return out;
}

/** Subsets of at least d/SCATTER_MIN_SHARE_INVERSE columns are multiplied by scattering (break-even measured at ≈ d/10 on 10,000 × 2048 test rows). */
const SCATTER_MIN_SHARE_INVERSE = 8;

/**
 * Accuracy from an n×C score matrix (row-major) plus a bias per class. Ties go to the lowest
 * class index; a score that is not finite is an error (RangeError naming its row). Per-class accuracy is NaN for classes with no test rows. With `rowStride` and
 * `offset` the C scores of row i are read at scores[i·rowStride + offset + c] (a column block of
 * a wider matrix).
 */
export function scoreAccuracy(
  scores: ArrayLike<number>, bias: ArrayLike<number>, labels: Int32Array, classes: number,
  rowStride = classes, offset = 0,
): ProbeEvaluation {
  const n = labels.length;
  const predictions = new Int32Array(n);
  const seen = new Float64Array(classes);
  const right = new Float64Array(classes);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    const o = i * rowStride + offset;
    let best = 0;
    let bestScore = -Infinity;
    for (let c = 0; c < classes; c++) {
      const s = scores[o + c] + bias[c];
      // NaN compares false and would silently predict class 0.
      if (s - s !== 0) throw new RangeError(`scores: row ${i}, class ${c} is ${s}, not finite: that row's features (or the head) hold NaN or ±Infinity`);
      if (s > bestScore) { bestScore = s; best = c; }
    }
    predictions[i] = best;
    const y = labels[i];
    if (y >= 0 && y < classes) seen[y]++;
    if (best === y) { correct++; right[y]++; }
  }
  const perClassAccuracy = new Float64Array(classes);
  for (let c = 0; c < classes; c++) perClassAccuracy[c] = seen[c] > 0 ? right[c] / seen[c] : NaN;
  return { accuracy: n > 0 ? correct / n : NaN, perClassAccuracy, predictions };
}

/**
 * Scores many heads whose features are prefixes of one neuron order — models[j] applies to
 * X[:, order[0:models[j].k]], as nested random subsets of one seed — with one gather of
 * X_test[:, order[0:K]] (K = largest k) and one `linalg.matmul` against the heads stacked as a
 * K×(C·m) matrix (zero rows beyond each head's k). Returns one evaluation per model.
 */
export async function evaluatePrefixes(
  models: readonly LinearModel[],
  test: FeatureBlock,
  order: Int32Array,
  testLabels: Int32Array,
  linalg?: Linalg,
): Promise<ProbeEvaluation[]> {
  linalg ??= await libraryLinalg();
  checkFeatureBlock(test, 'test features');
  if (testLabels.length !== test.n) throw new RangeError(`evaluatePrefixes: ${testLabels.length} labels for ${test.n} test rows`);
  if (models.length === 0) return [];
  const classes = models[0].classes;
  const big = Math.max(...models.map((m) => m.k));
  if (big > order.length) throw new RangeError(`evaluatePrefixes: a model uses ${big} features but the order has ${order.length}`);
  if (models.some((m) => m.classes !== classes)) throw new RangeError('evaluatePrefixes: models disagree on the number of classes');
  const width = classes * models.length;
  const stacked = new Float32Array(big * width);
  models.forEach((m, j) => {
    for (let i = 0; i < m.k; i++) for (let c = 0; c < classes; c++) stacked[i * width + j * classes + c] = m.weights[i * classes + c];
  });
  const x = gatherColumns(test, order.subarray(0, big));
  const scores = test.n > 0 ? await linalg.matmul(x.data, stacked, test.n, big, width) : new Float32Array(0);
  return models.map((m, j) => scoreAccuracy(scores, m.bias, testLabels, classes, width, j * classes));
}
