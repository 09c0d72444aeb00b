import { gemm64 } from '../linalg/dense64.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { symmetricEigenBlocked } from '../linalg/eigenBlocked.js';
import type { FeatureBlock } from '../types.js';
import { columnsTimes, evaluateProbe, evaluateProbeOnColumns, scoreAccuracy } from './evaluate.js';
import { inverseStdFromGram, type CentredMoments } from './gram.js';
import { fitSoftmaxProbe, type SoftmaxOptions } from './softmax.js';
import { whiteningOf, type Whitening } from './whitening.js';
import type { LinearModel } from './types.js';
import { PROBE_DEFAULTS } from './defaults.js';
import { applyBandQ, bandReduce, solveShiftedBand } from './bandReduce.js';

/** How a probe's λ was set, as results record it. */
export interface PenaltyChoice {
  /** The λ the reported probe was fitted with. */
  l2: number;
  /** `auto`: the default relative grid; `grid`: a user grid; `fixed`: one λ given. */
  mode: 'auto' | 'grid' | 'fixed';
  /** The validation part used to choose λ (`used: false` with the reason when the fallback applied). */
  validation: { used: true; fitRows: number; valRows: number; stratified: boolean; fraction: number; seed: number; folds?: number } | { used: false; reason: string; rule?: string };
  /**
   * λ values tried, descending, and their validation accuracies (empty for fixed / fallback);
   * `squaredError` (mean over held-out rows of Σ_c (score_c − onehot_c)²) when λ was ranked by it.
   */
  curve: { l2: number[]; accuracy: number[]; squaredError?: number[] };
  /** What ranked λ: validation accuracy (the default) or, for ridge on pooled small folds, held-out squared error. */
  criterion?: 'accuracy' | 'squared-error';
  /** Mean variance s of the probe's features (the auto grid is s·10^e). */
  scale: number;
}

/**
 * Index of the best accuracy in a curve whose λ are descending: the highest accuracy, and among
 * equal ones the first (the larger λ).
 */
export function bestOnCurve(accuracy: readonly number[]): number {
  let best = -1;
  for (let i = 0; i < accuracy.length; i++) if (best < 0 || accuracy[i] > accuracy[best]) best = i;
  return best;
}

/**
 * The index chosen on a validation curve whose λ are descending: the best of the curve averaged
 * over each point and its `radius` neighbours on either side (fewer at the ends), the larger λ
 * on ties. radius 0 is {@link bestOnCurve}. With `candidates` (ascending indices into the curve)
 * only those points can be chosen; their averages still take in the neighbours outside the list.
 */
export function chooseOnCurve(accuracy: readonly number[], radius: number = PROBE_DEFAULTS.smoothing, candidates?: readonly number[]): number {
  const allowed = candidates ?? accuracy.map((_, i) => i);
  if (!allowed.length || allowed.some((i) => !(Number.isInteger(i) && i >= 0 && i < accuracy.length))) throw new RangeError(`chooseOnCurve: candidates must be indices into the ${accuracy.length}-point curve`);
  const r = Math.max(0, radius);
  const smooth = (i: number) => {
    let s = 0;
    let c = 0;
    for (let j = Math.max(0, i - r); j <= Math.min(accuracy.length - 1, i + r); j++) { s += accuracy[j]; c++; }
    return s / c;
  };
  // Compare at a resolution far below one validation row, so float noise in the mean is no tie-breaker.
  let best = allowed[0];
  let top = smooth(best);
  for (const i of allowed.slice(1)) {
    const v = smooth(i);
    if (r > 0 ? v > top + 1e-12 : v > top) { best = i; top = v; }
  }
  return best;
}

/** What a ridge validation curve reports per λ: accuracy, or mean held-out squared error Σ_c (score_c − onehot_c)². */
export type RidgeCurveScore = 'accuracy' | 'squared-error';

/**
 * Mean over rows of Σ_c (scores[i·stride + offset + c] + bias[c] − [c = labels[i]])²: the ridge
 * loss on held-out rows (scikit-learn's RidgeClassifierCV ranks α by it by default).
 */
export function heldOutSquaredError(scores: ArrayLike<number>, bias: ArrayLike<number>, labels: Int32Array, classes: number, rowStride = classes, offset = 0): number {
  let total = 0;
  for (let i = 0; i < labels.length; i++) {
    const o = i * rowStride + offset;
    for (let c = 0; c < classes; c++) {
      const r = scores[o + c] + bias[c] - (c === labels[i] ? 1 : 0);
      total += r * r;
    }
  }
  return labels.length > 0 ? total / labels.length : NaN;
}

/** Up to this many features the ridge curve's k×k factorisation is an eigendecomposition (cheap there). */
const EIGEN_CURVE_MAX_K = 48;

/**
 * Validation accuracy (or, with `score: 'squared-error'`, held-out squared error) of ridge heads for
 * every λ in `lambdas`, from ONE factorisation of the fit
 * part's k×k centred Gram A = D·G·D (standardised when asked, D = diag 1/σ): an orthogonal reduction
 * to band form A = Q·B·Qᵀ (./bandReduce.ts; all matrix products, 2–3× cheaper than an
 * eigendecomposition at k ≈ 500–900), after which every λ costs one banded Cholesky:
 * W(λ) = D·Q·(B + nλI)⁻¹·Qᵀ·D·XᵀY. Up to {@link EIGEN_CURVE_MAX_K} features, with k ≥ n fit rows
 * (a singular Gram), a λ ≤ 0 in the grid, or when rounding leaves B + nλI indefinite at some λ (e.g.
 * dead units), an eigendecomposition A = QΛQᵀ is used instead
 * (W(λ) = D·Q·diag(1/(max(Λ, 0) + nλ))·Qᵀ·D·XᵀY, negative eigenvalues clipped). Both give the
 * exact curve to rounding. The held-out rows `val` (m×k, the same k columns; or m×d with
 * `opts.valColumns` naming the k, multiplied by {@link columnsTimes}) are scored for all λ with one
 * product. No pass over the fit rows. Returns the scores in `lambdas` order.
 */
export async function ridgeValidationCurve(
  fit: CentredMoments, val: FeatureBlock, valLabels: Int32Array, lambdas: readonly number[],
  opts: { standardize?: boolean; linalg?: Linalg; score?: RidgeCurveScore; method?: 'auto' | 'band' | 'eigen'; valColumns?: Int32Array } = {},
): Promise<number[]> {
  const curves = await ridgeValidationCurves(fit, val, valLabels, lambdas, opts);
  return opts.score === 'squared-error' ? curves.squaredError : curves.accuracy;
}

/** Both held-out scores of a ridge curve, in the order of its λ grid. */
export interface RidgeCurves {
  /** Held-out accuracy per λ. */
  accuracy: number[];
  /** Mean held-out squared error Σ_c (score_c − onehot_c)² per λ. */
  squaredError: number[];
}

/** {@link ridgeValidationCurve}'s accuracy and squared error at once, from the one factorisation. */
export async function ridgeValidationCurves(
  fit: CentredMoments, val: FeatureBlock, valLabels: Int32Array, lambdas: readonly number[],
  opts: { standardize?: boolean; linalg?: Linalg; method?: 'auto' | 'band' | 'eigen'; valColumns?: Int32Array } = {},
): Promise<RidgeCurves> {
  const linalg = opts.linalg ?? await libraryLinalg();
  const { d: k, classes: C, n } = fit;
  const cols = opts.valColumns;
  if (cols) {
    // Their range is checked by columnsTimes, before any product.
    if (cols.length !== k) throw new RangeError(`ridge validation: ${cols.length} held-out columns named, moments describe ${k}`);
  } else if (val.d !== k) {
    throw new RangeError(`ridge validation: held-out rows have ${val.d} columns, moments describe ${k}`);
  }
  if (valLabels.length !== val.n) throw new RangeError(`ridge validation: ${valLabels.length} labels for ${val.n} held-out rows`);
  const L = lambdas.length;
  if (L === 0) return { accuracy: [], squaredError: [] };
  const scale = opts.standardize ? inverseStdFromGram(fit) : undefined;
  const s = (i: number): number => (scale ? scale[i] : 1);
  // D·G·D; G itself without standardisation (both factorisations copy their input).
  let a = fit.gram;
  if (scale) {
    a = new Float64Array(k * k);
    for (let i = 0; i < k; i++) {
      const si = scale[i];
      for (let j = 0, o = i * k; j < k; j++) a[o + j] = fit.gram[o + j] * si * scale[j];
    }
  }
  // D·XᵀY, k×C.
  const dxty = new Float64Array(k * C);
  for (let i = 0; i < k; i++) for (let c = 0; c < C; c++) dxty[i * C + c] = fit.xty[i * C + c] * s(i);
  // Heads before the final D, k×(C·L): column block t is λ_t's. Float64 throughout (small
  // eigenvalues make the solutions large, and a float32 product would cancel badly for the smallest λ).
  const width = C * L;
  const method = opts.method ?? 'auto';
  // A Gram of k ≥ n rows is singular: rounding then leaves B + nλI indefinite at the smallest λ,
  // and the band path would end in the eigendecomposition anyway, so go there directly.
  const useBand = method === 'band' || (method === 'auto' && k > EIGEN_CURVE_MAX_K && k < n && lambdas.every((l) => l > 0));
  const heads64 = (useBand ? await bandHeads(a, k, dxty, C, lambdas, n, linalg) : undefined) ?? await eigenHeads(a, k, dxty, C, lambdas, n, linalg);
  for (let i = 0; i < k; i++) {
    const si = s(i);
    if (si !== 1) for (let t = 0; t < width; t++) heads64[i * width + t] *= si;
  }
  // b = ȳ − x̄ᵀ·W for every (λ, class) column, accumulated row by row of the heads.
  const biases = new Float64Array(width);
  for (let t = 0; t < L; t++) biases.set(fit.classMean.subarray(0, C), t * C);
  for (let i = 0; i < k; i++) {
    const mi = fit.mean[i];
    if (mi !== 0) for (let j = 0, o = i * width; j < width; j++) biases[j] -= mi * heads64[o + j];
  }
  const scores = cols
    ? await columnsTimes(val, cols, heads64, width, linalg, 'ridge validation: held-out column')
    : val.n > 0 ? await linalg.matmul(val.data, Float32Array.from(heads64), val.n, k, width) : new Float32Array(0);
  return {
    accuracy: lambdas.map((_, t) => scoreAccuracy(scores, biases.subarray(t * C, t * C + C), valLabels, C, width, t * C).accuracy),
    squaredError: lambdas.map((_, t) => heldOutSquaredError(scores, biases.subarray(t * C, t * C + C), valLabels, C, width, t * C)),
  };
}

/** Heads Q·(B + nλI)⁻¹·Qᵀ·R for every λ from one band reduction; undefined if a shifted band is not positive definite. */
async function bandHeads(a: Float64Array, k: number, r: Float64Array, C: number, lambdas: readonly number[], n: number, linalg: Linalg): Promise<Float64Array | undefined> {
  const red = await bandReduce(a, k, { linalg });
  const z = Float64Array.from(r);
  await applyBandQ(red, z, C, true, linalg);
  const width = C * lambdas.length;
  const heads = new Float64Array(k * width);
  for (let t = 0; t < lambdas.length; t++) {
    const y = solveShiftedBand(red, z, C, n * lambdas[t]);
    if (!y) return undefined;
    for (let i = 0; i < k; i++) for (let c = 0; c < C; c++) heads[i * width + t * C + c] = y[i * C + c];
  }
  await applyBandQ(red, heads, width, false, linalg);
  return heads;
}

/** Heads Q·diag(1/(max(Λ, 0) + nλ))·Qᵀ·R for every λ from one eigendecomposition. */
async function eigenHeads(a: Float64Array, k: number, r: Float64Array, C: number, lambdas: readonly number[], n: number, linalg: Linalg): Promise<Float64Array> {
  const { values, vectors } = await symmetricEigenBlocked(a, k, { linalg });
  // B = Qᵀ·R, k×C, and the heads Q·M below on the float64 GEMM: at k ≈ 1800 these two products were
  // most of a curve's time as TypeScript loops.
  const b = await gemm64(linalg, vectors, r, k, k, C, { transposeA: true });
  const L = lambdas.length;
  const width = C * L;
  const m = new Float64Array(k * width);
  for (let j = 0; j < k; j++) {
    const ev = Math.max(values[j], 0);
    for (let t = 0; t < L; t++) {
      const denom = ev + n * lambdas[t];
      const inv = denom > 0 ? 1 / denom : 0;
      for (let c = 0; c < C; c++) m[j * width + t * C + c] = b[j * C + c] * inv;
    }
  }
  return gemm64(linalg, vectors, m, k, k, width);
}

/** Outcome of {@link softmaxValidationWalk}. */
export interface SoftmaxWalk {
  /** λ tried, descending (grid order, not the order they were fitted in), and their validation accuracies (pooled over parts). */
  l2: number[];
  accuracy: number[];
  /** Index of the chosen λ in `l2` ({@link chooseOnCurve}). */
  best: number;
  /** The head fitted on the first part's fit rows at the chosen λ (the warm start of the refit). */
  model: LinearModel;
  /** L-BFGS iterations summed over the walk. */
  iterations: number;
}

/** One train/validation division of the training rows for {@link softmaxValidationWalk}. */
export interface ValidationPart {
  /** The fit rows, or with `fitMask` a larger block whose rows with fitMask[i] = 1 are. */
  fit: FeatureBlock;
  /** Labels of `fit`'s rows (all of them when `fitMask` is set). */
  fitLabels: Int32Array;
  /** Which rows of `fit` the probe is fitted on (see SoftmaxOptions.rowMask); all when absent. */
  fitMask?: Uint8Array;
  /** The probe's features are fit[:, fitColumns] (see SoftmaxOptions.columns); all columns when absent. */
  fitColumns?: Int32Array;
  val: FeatureBlock;
  valLabels: Int32Array;
  /** The probe's features are val[:, valColumns] (scored by {@link evaluateProbeOnColumns}); all columns when absent. */
  valColumns?: Int32Array;
  /** Centred moments of the probe's features on `fit`'s (unmasked) rows. */
  moments: CentredMoments;
}

/**
 * Softmax probes on each part's fit rows along a descending λ grid, each warm-started from the
 * previous head of its part, scored on the held-out rows (accuracy pooled over parts).
 *
 * With `stride` 1 every λ is walked in turn from the largest; the walk stops after `patience` steps
 * without a strictly better validation accuracy and λ is chosen on the whole curve by
 * {@link chooseOnCurve}. With `stride` s > 1 (coarse to fine, as CLIP_benchmark's search): the coarse
 * pass walks lambdas[0], lambdas[s], lambdas[2s], … with the same stopping rule (`patience` counted in
 * coarse steps), then fits the skipped grid points within s − 1 of the coarse best, walking outwards
 * from its heads, and chooses among the coarse best and those points — each scored by its average
 * with its neighbours on the tried curve. Steps are counted only once some λ has beaten the first
 * one: until then the heads sit on the large-λ plateau (near the class prior, e.g. for one or two
 * neurons), and stopping there would return a chance-level probe. Large λ are cheap (strongly
 * convex) and each warm start is close to the next optimum, so the walk costs a few full fits per part.
 */
export async function softmaxValidationWalk(
  parts: readonly ValidationPart[], lambdas: readonly number[],
  opts: {
    standardize?: boolean; linalg?: Linalg; classes: number; patience?: number; stride?: number; whiteningSpan?: number;
    softmax?: Omit<SoftmaxOptions, 'l2' | 'standardize' | 'linalg' | 'classes' | 'moments' | 'whitening' | 'init' | 'rowMask' | 'columns'>;
  },
): Promise<SoftmaxWalk> {
  const linalg = opts.linalg ?? await libraryLinalg();
  const patience = opts.patience ?? PROBE_DEFAULTS.softmaxPatience;
  const stride = opts.stride ?? 1;
  const span = opts.whiteningSpan ?? PROBE_DEFAULTS.softmaxWhiteningSpan;
  if (!lambdas.length) throw new RangeError('softmax validation: empty λ grid');
  if (!parts.length) throw new RangeError('softmax validation: no validation part');
  if (!(Number.isInteger(stride) && stride >= 1)) throw new RangeError(`softmax validation: stride must be an integer ≥ 1, got ${stride}`);
  if (!(Number.isInteger(patience) && patience >= 1)) throw new RangeError(`softmax validation: patience must be an integer ≥ 1, got ${patience}`);
  // A whitening factor (a k×k Cholesky, k³/3 flops) only preconditions: it is reused while λ stays
  // within a factor `span` of the λ it was made for (PROBE_DEFAULTS.softmaxWhiteningSpan).
  const factors: ({ l2: number; whitening: Whitening } | undefined)[] = parts.map(() => undefined);
  const totalVal = parts.reduce((t, p) => t + p.val.n, 0);
  /** Validation accuracy and the parts' heads per grid index tried. */
  const tried = new Map<number, { accuracy: number; heads: LinearModel[] }>();
  let iterations = 0;
  const fitAt = async (t: number, from: readonly (LinearModel | undefined)[]): Promise<number> => {
    const l2 = lambdas[t];
    let correct = 0;
    const heads: LinearModel[] = [];
    for (let j = 0; j < parts.length; j++) {
      const p = parts[j];
      let f = factors[j];
      if (!f || !(l2 * span > f.l2 * (1 + 1e-9))) { f = { l2, whitening: await whiteningOf(p.moments, l2, opts.standardize ?? false, linalg) }; factors[j] = f; }
      const res = await fitSoftmaxProbe(p.fit, p.fitLabels, {
        ...opts.softmax, l2, standardize: opts.standardize, linalg, classes: opts.classes, moments: p.moments, whitening: f.whitening, init: from[j], rowMask: p.fitMask, columns: p.fitColumns,
      });
      iterations += res.iterations;
      heads.push(res.model);
      const scored = p.valColumns ? await evaluateProbeOnColumns(res.model, p.val, p.valColumns, p.valLabels, linalg) : await evaluateProbe(res.model, p.val, p.valLabels, linalg);
      correct += scored.accuracy * p.val.n;
    }
    const accuracy = correct / totalVal;
    tried.set(t, { accuracy, heads });
    return accuracy;
  };
  let prev: readonly (LinearModel | undefined)[] = parts.map(() => undefined);
  let best = -1;
  let since = 0;
  for (let t = 0; t < lambdas.length; t += stride) {
    const acc = await fitAt(t, prev);
    prev = tried.get(t)!.heads;
    if (best < 0 || acc > tried.get(best)!.accuracy) { best = t; since = 0; } else if (best > 0 && ++since >= patience) break;
  }
  if (stride > 1) {
    // The fine pass: outwards from the coarse best on each side, each head warm-started from its
    // neighbour nearer the best.
    for (const side of [-1, 1]) {
      let from = tried.get(best)!.heads;
      for (let t = best + side; Math.abs(t - best) < stride && t >= 0 && t < lambdas.length; t += side) {
        if (!tried.has(t)) await fitAt(t, from);
        from = tried.get(t)!.heads;
      }
    }
  }
  const order = [...tried.keys()].sort((x, y) => x - y);
  const accuracy = order.map((t) => tried.get(t)!.accuracy);
  const candidates = stride > 1 ? order.map((t, i) => (Math.abs(t - best) < stride ? i : -1)).filter((i) => i >= 0) : undefined;
  const chosen = chooseOnCurve(accuracy, PROBE_DEFAULTS.smoothing, candidates);
  return { l2: order.map((t) => lambdas[t]), accuracy, best: chosen, model: tried.get(order[chosen])!.heads[0], iterations };
}
