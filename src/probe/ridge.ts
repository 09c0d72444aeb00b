import { symmetricEigenBlocked } from '../linalg/eigenBlocked.js';
import { choleskyFactorBlocked, solveLowerBlocked, solveLowerTransposedBlocked } from '../linalg/blockedCholesky.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import type { FeatureBlock } from '../types.js';
import { centredMoments, inverseStdFromGram, projectedMoments, subsetMoments, type CentredMoments } from './gram.js';
import { choleskyFactor } from '../linalg/cholesky.js';
import { solveLowerInPlace, solveLowerTransposedInPlace } from '../linalg/cholesky.js';
import { leadingWhitening, whiteningOf, type Whitening } from './whitening.js';
import type { LinearModel } from './types.js';
import { gatherRows } from './features.js';
import { complementMoments, planHoldout, type HoldoutPlan } from './validation.js';

/**
 * The validation part of a shared Gram's training split: the plan, and when it holds rows out,
 * the fit rows' moments (d×d) and the held-out rows themselves (m×d float32, labels beside).
 */
export interface GramHoldout {
  plan: HoldoutPlan;
  fit?: CentredMoments;
  val?: FeatureBlock;
  valLabels?: Int32Array;
}
import { PROBE_DEFAULTS } from './defaults.js';

/** Penalty λ of the ridge fitters when none is given (runProbe chooses λ on validation data by default). */
export const DEFAULT_RIDGE_L2 = PROBE_DEFAULTS.fixedL2;

/** Options of the ridge probe. */
export interface RidgeOptions {
  /**
   * λ ≥ 0 in  (1/2n)·‖X_c·W − Y_c‖²_F + (λ/2)·‖W‖²_F  (mean squared error over the n rows,
   * one-hot Y). Equivalent to scikit-learn `Ridge(alpha = n·λ)` fitted with an intercept.
   */
  l2?: number;
  /** Fit on features scaled to unit training variance (training statistics only). */
  standardize?: boolean;
}

/**
 * Closed-form ridge on one-hot targets from centred moments of the k features the probe sees:
 * W = (G + n·λ·I)⁻¹·XᵀY_c by Cholesky, intercept b = ȳ − μᵀW (exact, unpenalised).
 * With `standardize`, the solve runs on D·G·D, D·XᵀY (D = diag 1/σ) and W is mapped back to raw
 * units (W = D·W'), so the returned model always applies to raw features.
 */
export function fitRidgeFromMoments(m: CentredMoments, opts: RidgeOptions = {}): LinearModel {
  return fitRidgePrefixes(m, [m.d], opts)[0];
}

/**
 * Ridge heads on the leading k columns of `m` for every k in `ks`, from ONE Cholesky factor of
 * the largest system: the factor of a leading principal block is the leading block of the factor,
 * so nested subsets (one seed's random neurons at growing fractions are prefixes of one
 * permutation) cost one factorisation plus a k²·C solve each. Models are returned in `ks` order.
 */
export function fitRidgePrefixes(m: CentredMoments, ks: readonly number[], opts: RidgeOptions = {}): LinearModel[] {
  const sys = ridgeSystem(m, ks, opts);
  return headsFromFactor(m, ks, sys, factorOrExplain(() => choleskyFactor(sys.a, sys.big), sys));
}

/**
 * {@link fitRidgePrefixes} with the blocked Cholesky of src/linalg, whose trailing updates run on
 * `linalg`'s float64 product: the largest system's factor costs a fraction of the TypeScript one at
 * k in the thousands (same heads to rounding). When rounding has left the largest system
 * indefinite at λ > 0, each prefix is fitted alone by {@link fitRidgeFromMomentsBlocked}, which
 * falls back to the nearest positive semi-definite Gram where its own factorisation fails too.
 */
export async function fitRidgePrefixesBlocked(m: CentredMoments, ks: readonly number[], opts: RidgeOptions & { linalg?: Linalg } = {}): Promise<LinearModel[]> {
  const sys = ridgeSystem(m, ks, opts);
  let l: Float64Array;
  try {
    l = await choleskyFactorBlocked(sys.a, sys.big, { linalg: opts.linalg });
  } catch (err) {
    if (!(sys.l2 > 0)) throw explainSingular(err, sys);
    const heads: LinearModel[] = [];
    for (const k of ks) heads.push(await fitRidgeFromMomentsBlocked(subsetMoments(m, Int32Array.from({ length: k }, (_, i) => i)), opts));
    return heads;
  }
  return headsFromFactor(m, ks, sys, l);
}

/**
 * {@link fitRidgeFromMoments} with the blocked Cholesky of src/linalg, whose trailing updates run on
 * `linalg`'s float64 product (the fast path for wide subsets; same heads to rounding).
 */
export async function fitRidgeFromMomentsBlocked(m: CentredMoments, opts: RidgeOptions & { linalg?: Linalg } = {}): Promise<LinearModel> {
  const sys = ridgeSystem(m, [m.d], opts);
  let l: Float64Array;
  try {
    l = await choleskyFactorBlocked(sys.a, sys.big, { linalg: opts.linalg });
  } catch (err) {
    if (sys.l2 > 0) return fitRidgeByEigen(m, sys, opts.linalg);
    throw explainSingular(err, sys);
  }
  // One head: the triangular solves on the blocked kernels, whose off-diagonal blocks run on the
  // float64 product (the row-by-row TypeScript solves cost as much as the factorisation at k ≈ 1800).
  const k = m.d;
  const rhs = scaledCross(m, k, sys);
  const y = await solveLowerBlocked(l, k, rhs, m.classes, { linalg: opts.linalg });
  return headFromSolution(m, k, sys, await solveLowerTransposedBlocked(l, k, y, m.classes, { linalg: opts.linalg }));
}

/**
 * The ridge heads from the eigendecomposition of D·G·D with negative eigenvalues set to 0: the fallback
 * when rounding has left the Gram of a near-null subspace (e.g. bottom principal directions of a layer
 * with dead units) slightly indefinite, so that a tiny λ cannot make it positive definite. This is the
 * ridge solution of the nearest positive semi-definite Gram, the same one the validation curve scores.
 */
async function fitRidgeByEigen(m: CentredMoments, sys: RidgeSystem, linalg?: Linalg): Promise<LinearModel> {
  const { classes, n, d: k } = m;
  const s = (i: number): number => (sys.scale ? sys.scale[i] : 1);
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) a[i * k + j] = m.gram[i * k + j] * s(i) * s(j);
  const { values, vectors } = await symmetricEigenBlocked(a, k, { linalg });
  // weights = D·Q·diag(1/(λⱼ⁺ + nλ))·Qᵀ·D·XᵀY
  const b = new Float64Array(k * classes);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const q = vectors[i * k + j] * s(i);
      if (q === 0) continue;
      for (let c = 0; c < classes; c++) b[j * classes + c] += q * m.xty[i * classes + c];
    }
  }
  for (let j = 0; j < k; j++) {
    const inv = 1 / (Math.max(values[j], 0) + n * sys.l2);
    for (let c = 0; c < classes; c++) b[j * classes + c] *= inv;
  }
  const weights = new Float64Array(k * classes);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const q = vectors[i * k + j];
      if (q === 0) continue;
      for (let c = 0; c < classes; c++) weights[i * classes + c] += q * b[j * classes + c];
    }
    for (let c = 0; c < classes; c++) weights[i * classes + c] *= s(i);
  }
  const bias = Float64Array.from(m.classMean);
  for (let i = 0; i < k; i++) for (let c = 0; c < classes; c++) bias[c] -= m.mean[i] * weights[i * classes + c];
  return { k, classes, weights, bias };
}

interface RidgeSystem { a: Float64Array; big: number; l2: number; scale?: Float64Array }

/** The lower triangle of (D·G·D + nλI) for the largest prefix, D the optional standardisation. */
function ridgeSystem(m: CentredMoments, ks: readonly number[], opts: RidgeOptions): RidgeSystem {
  const l2 = opts.l2 ?? DEFAULT_RIDGE_L2;
  if (!(l2 >= 0)) throw new RangeError(`ridge: l2 must be ≥ 0, got ${l2}`);
  const big = Math.max(...ks);
  for (const k of ks) if (!(Number.isInteger(k) && k >= 1 && k <= m.d)) throw new RangeError(`ridge: prefix size ${k} outside 1..${m.d}`);
  const scale = opts.standardize ? inverseStdFromGram(m) : undefined;
  const s = (i: number): number => (scale ? scale[i] : 1);
  const a = new Float64Array(big * big);
  for (let i = 0; i < big; i++) {
    for (let j = 0; j <= i; j++) a[i * big + j] = m.gram[i * m.d + j] * s(i) * s(j);
    a[i * big + i] += m.n * l2;
  }
  return { a, big, l2, scale };
}

function explainSingular(err: unknown, sys: RidgeSystem): unknown {
  return sys.l2 > 0 ? err : new RangeError(`ridge: the centred Gram of the ${sys.big} features is singular; use l2 > 0`);
}

function factorOrExplain(factor: () => Float64Array, sys: RidgeSystem): Float64Array {
  try {
    return factor();
  } catch (err) {
    throw explainSingular(err, sys);
  }
}

/** Heads of every prefix k from the Cholesky factor `l` of the largest system (stride `big`). */
function headsFromFactor(m: CentredMoments, ks: readonly number[], sys: RidgeSystem, l: Float64Array): LinearModel[] {
  const { classes } = m;
  return ks.map((k) => {
    const weights = scaledCross(m, k, sys);
    solveLowerInPlace(l, k, weights, classes, sys.big);
    solveLowerTransposedInPlace(l, k, weights, classes, sys.big);
    return headFromSolution(m, k, sys, weights);
  });
}

/** D·XᵀY for the first k features (k×C), the right-hand side of the ridge system. */
function scaledCross(m: CentredMoments, k: number, sys: RidgeSystem): Float64Array {
  const { classes } = m;
  const weights = new Float64Array(k * classes);
  for (let i = 0; i < k; i++) {
    const si = sys.scale ? sys.scale[i] : 1;
    for (let c = 0; c < classes; c++) weights[i * classes + c] = m.xty[i * classes + c] * si;
  }
  return weights;
}

/** The head from the solution Z of (DGD + nλI)·Z = D·XᵀY: weights D·Z (Z overwritten), bias ȳ − x̄ᵀ·W. */
function headFromSolution(m: CentredMoments, k: number, sys: RidgeSystem, weights: Float64Array): LinearModel {
  const { classes } = m;
  if (sys.scale) for (let i = 0; i < k; i++) for (let c = 0; c < classes; c++) weights[i * classes + c] *= sys.scale[i];
  const bias = Float64Array.from(m.classMean);
  for (let i = 0; i < k; i++) for (let c = 0; c < classes; c++) bias[c] -= m.mean[i] * weights[i * classes + c];
  return { k, classes, weights, bias };
}

/**
 * One Gram for many ridge probes: holds the centred d×d Gram and d×C cross moments of the full
 * training layer, so a neuron subset S costs a k×k gather plus one Cholesky solve, and a
 * projection P costs PᵀGP — never another pass over the rows.
 */
export class RidgeGram {
  private lastWhitening?: { order: Int32Array; l2: number; standardize: boolean; whitening: Whitening };

  private constructor(readonly moments: CentredMoments, readonly linalg: Linalg, readonly holdout?: GramHoldout) {}

  /**
   * Builds the shared moments from the n×d training block (one `linalg.gram`). With `holdout`,
   * also the validation part used to choose λ ({@link planHoldout}): its rows (all d columns,
   * ≈ 10% of the bytes) and the moments of the remaining fit rows, derived from the full moments
   * and one Gram of the held-out rows ({@link complementMoments}).
   */
  static async build(train: FeatureBlock, labels: Int32Array, opts: { linalg?: Linalg; classes?: number; holdout?: boolean } = {}): Promise<RidgeGram> {
    const linalg = opts.linalg ?? await libraryLinalg();
    const moments = await centredMoments(train, labels, { linalg, classes: opts.classes });
    if (!opts.holdout) return new RidgeGram(moments, linalg);
    const plan = planHoldout(labels);
    // Small splits hold out every fold in turn; runProbe computes those from the selected columns.
    if (!plan.used || plan.folds) return new RidgeGram(moments, linalg, { plan });
    const val = gatherRows(train, plan.val);
    const valLabels = Int32Array.from(plan.val, (i) => labels[i]);
    const fit = complementMoments(moments, await centredMoments(val, valLabels, { linalg, classes: moments.classes }));
    return new RidgeGram(moments, linalg, { plan, fit, val, valLabels });
  }

  /** Wraps moments computed elsewhere. */
  /** `linalg`: the backend later products of this Gram run on (runProbe uses it when given none). */
  static fromMoments(moments: CentredMoments, linalg: Linalg): RidgeGram {
    return new RidgeGram(moments, linalg);
  }

  get d(): number { return this.moments.d; }
  get classes(): number { return this.moments.classes; }
  get n(): number { return this.moments.n; }

  /** Moments of the neuron subset `indices` (k×k, in pick order). */
  forIndices(indices: Int32Array): CentredMoments {
    return subsetMoments(this.moments, indices);
  }

  /** Moments of the projected features X·P, P d×k float32 row-major. */
  forProjection(projection: Float32Array, k: number): Promise<CentredMoments> {
    return projectedMoments(this.moments, projection, k, this.linalg);
  }

  /** Ridge head on neurons `indices`; applies to X[:, indices]. */
  fitIndices(indices: Int32Array, opts: RidgeOptions = {}): LinearModel {
    return fitRidgeFromMoments(this.forIndices(indices), opts);
  }

  /**
   * Ridge heads on the prefixes order[0:k] for each k in `ks` with one factorisation (see
   * {@link fitRidgePrefixesBlocked}, on this Gram's backend); model i applies to X[:, order[0:ks[i]]].
   */
  fitPrefixes(order: Int32Array, ks: readonly number[], opts: RidgeOptions = {}): Promise<LinearModel[]> {
    return fitRidgePrefixesBlocked(this.forIndices(order.subarray(0, Math.max(...ks))), ks, { ...opts, linalg: this.linalg });
  }

  /**
   * The softmax whitening factor of the neuron subset `indices` (see ./whitening.ts). Keeps the
   * factor of the last subset it computed: a later subset that is a prefix of it (same seed,
   * smaller fraction) gets the leading block instead of a new factorisation, so run nested
   * subsets largest first.
   */
  async whiteningFor(indices: Int32Array, l2: number, standardize = false): Promise<Whitening> {
    const c = this.lastWhitening;
    const k = indices.length;
    if (c && c.l2 === l2 && c.standardize === standardize && k <= c.order.length && indices.every((v, t) => v === c.order[t])) {
      return leadingWhitening(c.whitening, c.order.length, k);
    }
    const whitening = await whiteningOf(this.forIndices(indices), l2, standardize, this.linalg);
    this.lastWhitening = { order: Int32Array.from(indices), l2, standardize, whitening };
    return whitening;
  }

  /** Ridge head on X·P; applies to the projected features. */
  async fitProjection(projection: Float32Array, k: number, opts: RidgeOptions = {}): Promise<LinearModel> {
    return fitRidgeFromMoments(await this.forProjection(projection, k), opts);
  }
}

/**
 * Ridge head on all d columns of an n×d training block (one Gram, one solve).
 * `labels` in 0..classes−1; returns W d×classes and b.
 * @example
 * ```ts
 * const model = await fitRidgeProbe(trainSub, train.labels);
 * const { accuracy } = await evaluateProbe(model, testSub, test.labels);
 * ```
 */
export async function fitRidgeProbe(
  train: FeatureBlock,
  labels: Int32Array,
  opts: RidgeOptions & { linalg?: Linalg; classes?: number } = {},
): Promise<LinearModel> {
  const m = await centredMoments(train, labels, { linalg: opts.linalg, classes: opts.classes });
  return fitRidgeFromMoments(m, opts);
}
