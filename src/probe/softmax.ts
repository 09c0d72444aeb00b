import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import { checkIndices, countClasses } from './features.js';
import { centredMoments, inverseStdFromGram, type CentredMoments } from './gram.js';
import { minimizeLbfgs, type LbfgsStop } from './lbfgs.js';
import { whiteningFactor, whiteningOf, type Whitening } from './whitening.js';
import { gemm64, gemm64Sync } from '../linalg/dense64.js';
import { solveLowerInPlace, solveLowerTransposedInPlace } from '../linalg/cholesky.js';
import type { LinearModel } from './types.js';
import { PROBE_DEFAULTS } from './defaults.js';

/** Penalty λ of {@link fitSoftmaxProbe} when none is given (runProbe chooses λ on validation data by default). */
export const DEFAULT_SOFTMAX_L2 = PROBE_DEFAULTS.fixedL2;

/** Options of the softmax (multinomial logistic regression) probe. */
export interface SoftmaxOptions {
  /**
   * λ ≥ 0 in  f(W, b) = (1/n)·Σᵢ CE(softmax(xᵢW + b), yᵢ) + (λ/2)·‖W‖²_F  (bias unpenalised).
   * scikit-learn's `LogisticRegression(C)` minimises C·Σᵢ CE + ½‖W‖², the same minimiser when
   * C = 1/(n·λ), i.e. λ = 1/(n·C).
   */
  l2?: number;
  /** Penalise and precondition standardised features (training statistics); model stays in raw units. */
  standardize?: boolean;
  linalg?: Linalg;
  /** Default max(label)+1. */
  classes?: number;
  /**
   * Centred moments of exactly these k columns (e.g. from a shared {@link RidgeGram}); used to
   * whiten the problem. Computed with one `linalg.gram` when absent.
   */
  moments?: CentredMoments;
  /**
   * Precomputed {@link Whitening} of these columns (e.g. the leading blocks of a larger nested
   * subset's, see RidgeGram.whiteningFor); computed from `moments` ({@link whiteningOf}) when absent.
   */
  whitening?: Whitening;
  /** Start from this model instead of W = 0, b = 0 (e.g. a scaled ridge head). */
  init?: LinearModel;
  /**
   * Fit on the rows i with rowMask[i] = 1 only (length n; `moments` must then describe those rows):
   * the other rows get zero weight, so a held-out part of a block is left out of the fit without
   * copying the block's other rows (the full layer's validation walk). Each evaluation still
   * multiplies every row.
   */
  rowMask?: Uint8Array;
  /**
   * The probe's k features are the columns `columns` of the n×d block passed as training features
   * (`moments` must then describe those k columns, in this order): every product runs on the whole
   * block with the weights scattered to d rows (zeros elsewhere), so X[:, columns] is never
   * gathered. Each evaluation then reads d instead of k columns: worth it for wide subsets, whose
   * gathered copy would be most of the block (see SOFTMAX_IN_PLACE_MIN_SHARE in ./softmaxProbe.ts).
   * Every value of the block must be finite (a NaN outside the subset would reach the logits as 0·NaN).
   */
  columns?: Int32Array;
  /** Stop when ‖∇‖∞ ≤ gtol·‖∇₀‖∞ in whitened coordinates (∇₀ at W = 0, b = 0; default PROBE_DEFAULTS.softmax.gtol). */
  gtol?: number;
  /** Stop when an iteration lowers the loss by ≤ ftol·|loss| (default PROBE_DEFAULTS.softmax.ftol). */
  ftol?: number;
  /** Default PROBE_DEFAULTS.softmax.maxIterations. */
  maxIterations?: number;
  /** L-BFGS memory (default 10). */
  memory?: number;
  onIteration?: (iteration: number, loss: number, gradInf: number) => void;
}

/** A fitted softmax head and how the optimiser ended. */
export interface SoftmaxFit {
  model: LinearModel;
  /** Final objective value f(W, b). */
  loss: number;
  /** ‖∇f‖∞ in whitened coordinates at the end. */
  gradInf: number;
  iterations: number;
  /** Passes of the products over the rows that computed a gradient (one per iteration, plus the start). */
  evaluations: number;
  /** Line-search trials, each a pass over the n×C logits only (see SoftmaxObjective.lineStart). */
  lineEvaluations: number;
  stop: LbfgsStop;
  l2: number;
}

/**
 * The probe's objective in whitened coordinates, exposed for tests (finite differences) and for
 * {@link fitSoftmaxProbe}. Parameters θ = [V (k×C row-major), b' (C)] with
 *   W' = L⁻ᵀV,  W = D·W',  logits = (X − μ)·W + b' = X·W + (b' − μᵀW),
 * where D = diag(1/σ) under standardisation (else I) and L·Lᵀ = D·G·D/n + εI (G the centred Gram,
 * ε = max(λ, 1e-10·mean diagonal); see ./whitening.ts). In these coordinates the Hessian is close to a multiple of
 * the identity, so L-BFGS needs tens of iterations where raw features need hundreds. The change of
 * variables is exact: the minimiser is that of f in the original (W, b).
 * The logits are linear in θ, so a line search needs one product X·W_d per direction and then
 * O(n·C) per trial step ({@link lineStart}, {@link lineValue}, {@link lineAccept}); a cold fit used
 * to spend ~1.8 full evaluations (two passes over the n×k block each) per iteration.
 */
export class SoftmaxObjective {
  readonly k: number;
  readonly classes: number;
  readonly n: number;
  readonly l2: number;
  private readonly chol: Float64Array;
  /** L⁻¹ when the whitening carries it: then L⁻ᵀ and L⁻¹ are applied as products with it. */
  private readonly cholInverse?: Float64Array;
  private readonly scale: Float64Array;
  private readonly mean: Float64Array;
  private readonly residual: Float32Array;
  /** W' = L⁻ᵀ·θ_W at the current point. */
  private readonly wPrime: Float64Array;
  /** W' of the line search's direction. */
  private readonly wpDir: Float64Array;
  /** The current point θ (of the last evaluate or lineAccept) and its logits X·W + 1·(b − μᵀW)ᵀ, n×C float64. */
  private readonly at: Float64Array;
  private z?: Float64Array;
  /** Logits of the line search's direction (its offsets included), n×C. */
  private zDir?: Float64Array;
  private movesSinceExact = 0;
  /** ‖W'‖², W'·W'_d and ‖W'_d‖² of the current line (lineStart). */
  private linePenalty = { pp: 0, pd: 0, dd: 0 };
  /** Column sums of the residual. */
  private readonly colSum: Float64Array;
  /** The step a whose residual (and objective value) lineValue left in `residual`; NaN when none. */
  private residualStep = NaN;
  private residualLoss = NaN;
  private readonly w32: Float32Array;
  private readonly gradW: Float64Array;
  private readonly moments: CentredMoments;
  private readonly rowMask?: Uint8Array;
  /** The block's columns the k features are (absent: all of them, in order). */
  private readonly columns?: Int32Array;
  /** Objective evaluations so far. */
  evaluations = 0;

  constructor(
    private readonly x: FeatureBlock,
    private readonly labels: Int32Array,
    moments: CentredMoments,
    opts: { l2: number; standardize?: boolean; classes: number; whitening?: Whitening; rowMask?: Uint8Array; columns?: Int32Array },
    private readonly linalg: Linalg,
  ) {
    const cols = opts.columns;
    if (cols) {
      checkIndices(cols, x.d, 'softmax: column');
      this.columns = cols;
    }
    const k = cols ? cols.length : x.d;
    if (moments.d !== k) throw new RangeError(`softmax: moments describe ${moments.d} columns, features have ${k}${cols ? ' selected' : ''}`);
    if (labels.length !== x.n) throw new RangeError(`softmax: ${labels.length} labels for ${x.n} rows`);
    let fitRows = x.n;
    if (opts.rowMask) {
      if (opts.rowMask.length !== x.n) throw new RangeError(`softmax: row mask has ${opts.rowMask.length} entries, features have ${x.n} rows`);
      fitRows = 0;
      for (const v of opts.rowMask) fitRows += v === 1 ? 1 : 0;
      this.rowMask = opts.rowMask;
    }
    if (moments.n !== fitRows) throw new RangeError(`softmax: moments describe ${moments.n} rows, features have ${fitRows}${opts.rowMask ? ' unmasked' : ''}`);
    this.k = k;
    this.n = fitRows;
    this.classes = opts.classes;
    this.l2 = opts.l2;
    this.mean = moments.mean;
    this.moments = moments;
    this.scale = opts.standardize ? inverseStdFromGram(moments) : new Float64Array(k).fill(1);
    const w = opts.whitening;
    if (w && w.factor.length !== k * k) throw new RangeError(`softmax: whitening factor has ${w.factor.length} values, expected ${k}×${k}`);
    if (w?.inverse && w.inverse.length !== k * k) throw new RangeError(`softmax: whitening inverse has ${w.inverse.length} values, expected ${k}×${k}`);
    this.chol = w?.factor ?? whiteningFactor(moments, opts.l2, opts.standardize);
    this.cholInverse = w?.inverse;
    const C = this.classes;
    this.residual = new Float32Array(x.n * C);
    this.wPrime = new Float64Array(k * C);
    this.wpDir = new Float64Array(k * C);
    this.colSum = new Float64Array(C);
    this.at = new Float64Array((k + 1) * C);
    // Every product multiplies all x.d columns of the block (k of them without `columns`).
    this.w32 = new Float32Array(x.d * C);
    this.gradW = new Float64Array(k * C);
  }

  /** Length of θ: (k + 1)·classes. */
  get size(): number { return (this.k + 1) * this.classes; }

  /** Maps θ to the raw-unit head (W = D·L⁻ᵀ·V, b = b' − μᵀW). */
  toModel(theta: Float64Array): LinearModel {
    const { k, classes: C } = this;
    const w = this.cholInverse ? gemm64Sync(this.cholInverse, theta.subarray(0, k * C), k, k, C, { transposeA: true }) : solveLowerTransposedInPlace(this.chol, k, Float64Array.from(theta.subarray(0, k * C)), C);
    for (let i = 0; i < k; i++) for (let c = 0; c < C; c++) w[i * C + c] *= this.scale[i];
    const bias = Float64Array.from(theta.subarray(k * C));
    for (let i = 0; i < k; i++) for (let c = 0; c < C; c++) bias[c] -= this.mean[i] * w[i * C + c];
    return { k, classes: C, weights: w, bias };
  }

  /** Inverse of {@link toModel}: V = Lᵀ·D⁻¹·W, b' = b + μᵀW. */
  fromModel(model: LinearModel): Float64Array {
    const { k, classes: C } = this;
    if (model.k !== k || model.classes !== C) throw new RangeError(`softmax: initial model is ${model.k}×${model.classes}, expected ${k}×${C}`);
    const theta = new Float64Array(this.size);
    const wp = new Float64Array(k * C);
    for (let i = 0; i < k; i++) for (let c = 0; c < C; c++) wp[i * C + c] = model.weights[i * C + c] / this.scale[i];
    const l = this.chol;
    for (let i = 0; i < k; i++) {
      // (Lᵀ·W')[i] = Σ_{t ≥ i} L[t][i]·W'[t]
      for (let t = i; t < k; t++) {
        const f = l[t * k + i];
        if (f === 0) continue;
        for (let c = 0; c < C; c++) theta[i * C + c] += f * wp[t * C + c];
      }
    }
    for (let c = 0; c < C; c++) {
      let s = model.bias[c];
      for (let i = 0; i < k; i++) s += this.mean[i] * model.weights[i * C + c];
      theta[k * C + c] = s;
    }
    return theta;
  }

  /**
   * ‖∇f(0)‖∞ (W = 0, b = 0) from the moments, without a pass over the rows: at θ = 0 every
   * prediction is uniform, so the data gradient is −D·Σᵢ(xᵢ − μ)yᵢᵀ/n = −D·xty/n (whitened by L⁻¹,
   * the penalty term vanishes) and the bias gradient is 1/C − ȳ. Equal to the gradient
   * {@link evaluate} returns at θ = 0 up to float32 rounding of the rows.
   */
  gradientInfAtZero(): number {
    const { k, classes: C, n } = this;
    const g = new Float64Array(k * C);
    for (let i = 0; i < k; i++) for (let c = 0; c < C; c++) g[i * C + c] = -this.scale[i] * this.moments.xty[i * C + c] / n;
    solveLowerInPlace(this.chol, k, g, C);
    let m = 0;
    for (const v of g) m = Math.max(m, Math.abs(v));
    for (let c = 0; c < C; c++) m = Math.max(m, Math.abs(1 / C - this.moments.classMean[c]));
    return m;
  }

  /** f(θ); writes ∇f(θ) into `grad`. Heavy work: one linalg.matmul and one linalg.crossProduct. */
  async evaluate(theta: Float64Array, grad: Float64Array): Promise<number> {
    this.evaluations++;
    await this.logitsAt(theta);
    return this.lossAndGradient(grad);
  }

  /**
   * Prepares a line search along θ + a·dir from the current point (the last {@link evaluate} or
   * {@link lineAccept}): the logits are linear in θ, Z(a) = Z + a·Z_d, so one product X·W_d now
   * makes every trial of the search an O(n·C) pass over the logits ({@link lineValue}).
   */
  async lineStart(theta: Float64Array, dir: Float64Array): Promise<void> {
    if (!this.z || !sameValues(theta, this.at)) await this.logitsAt(theta);
    this.residualStep = NaN;
    const offset = await this.rawWeights(dir, this.wpDir);
    this.zDir = await this.logitsOf(offset, this.zDir);
    // ‖W' + a·W'_d‖² = pp + 2a·pd + a²·dd for every trial a of this line.
    const wp = this.wPrime;
    const wd = this.wpDir;
    let pp = 0, pd = 0, dd = 0;
    for (let j = 0; j < wp.length; j++) { pp += wp[j] * wp[j]; pd += wp[j] * wd[j]; dd += wd[j] * wd[j]; }
    this.linePenalty = { pp, pd, dd };
  }

  /**
   * f(θ + a·dir) and its derivative along dir (after {@link lineStart}), from the logits alone.
   * Same arithmetic as {@link evaluate}'s loss: the value at a is the objective of the point
   * {@link lineAccept} moves to.
   */
  lineValue(a: number): { f: number; d: number } {
    const { n, l2 } = this;
    // The residual is kept: when this step is taken, lineAccept needs only the cross product (the
    // step taken is nearly always the last one tried).
    const { ce, slope } = this.residualAt(a, this.zDir!);
    const invN = 1 / n;
    const { pp, pd, dd } = this.linePenalty;
    const f = ce * invN + 0.5 * l2 * (pp + 2 * a * pd + a * a * dd);
    this.residualStep = a;
    this.residualLoss = f;
    return { f, d: slope + l2 * (pd + a * dd) };
  }

  /**
   * Moves to θ + a·dir (after {@link lineStart}; `next` holds that point) and writes ∇f there into
   * `grad`, returning f: one linalg.crossProduct. Every {@link EXACT_LOGITS_EVERY}-th move
   * recomputes the logits from θ by a product instead of updating them, so float32 rounding in
   * the updates cannot accumulate.
   */
  async lineAccept(a: number, next: Float64Array, grad: Float64Array): Promise<number> {
    this.evaluations++;
    if (++this.movesSinceExact >= EXACT_LOGITS_EVERY) {
      await this.logitsAt(next);
      return this.lossAndGradient(grad);
    }
    const z = this.z!;
    const zd = this.zDir!;
    for (let j = 0; j < z.length; j++) z[j] += a * zd[j];
    const wp = this.wPrime;
    for (let j = 0; j < wp.length; j++) wp[j] += a * this.wpDir[j];
    this.at.set(next);
    if (this.residualStep === a) {
      this.residualStep = NaN;
      await this.gradientFromResidual(grad);
      return this.residualLoss;
    }
    return this.lossAndGradient(grad);
  }

  /** W' = L⁻ᵀ·θ_W into `wp`, the raw weights D·W' into the product's float32 buffer; returns the offsets b − μᵀW. */
  private async rawWeights(theta: Float64Array, wp: Float64Array): Promise<Float64Array> {
    const { k, classes: C } = this;
    if (this.cholInverse) wp.set(await gemm64(this.linalg, this.cholInverse, theta.subarray(0, k * C), k, k, C, { transposeA: true }));
    else {
      wp.set(theta.subarray(0, k * C));
      solveLowerTransposedInPlace(this.chol, k, wp, C);
    }
    const offset = new Float64Array(C);
    for (let c = 0; c < C; c++) offset[c] = theta[k * C + c];
    const cols = this.columns;
    // With `columns`, W scattered to the block's d rows; a repeated column adds its rows.
    if (cols) this.w32.fill(0);
    for (let i = 0; i < k; i++) {
      const s = this.scale[i];
      const mu = this.mean[i];
      const at = (cols ? cols[i] : i) * C;
      for (let c = 0; c < C; c++) {
        const w = wp[i * C + c] * s;
        if (cols) this.w32[at + c] += w; else this.w32[at + c] = w;
        offset[c] -= mu * w;
      }
    }
    return offset;
  }

  /** X·W (the weights {@link rawWeights} left in the float32 buffer) plus `offset`, in float64, into `out`. */
  private async logitsOf(offset: Float64Array, out?: Float64Array): Promise<Float64Array> {
    const C = this.classes;
    const rows = this.x.n;
    const logits = await this.linalg.matmul(this.x.data, this.w32, rows, this.x.d, C);
    const z = out ?? new Float64Array(rows * C);
    for (let i = 0; i < rows; i++) for (let c = 0; c < C; c++) z[i * C + c] = logits[i * C + c] + offset[c];
    return z;
  }

  /** Makes θ the current point: W' and the logits computed from it. */
  private async logitsAt(theta: Float64Array): Promise<void> {
    const offset = await this.rawWeights(theta, this.wPrime);
    this.z = await this.logitsOf(offset, this.z);
    this.at.set(theta);
    this.movesSinceExact = 0;
  }

  /** The objective at the current point and its gradient (into `grad`): one linalg.crossProduct. */
  private async lossAndGradient(grad: Float64Array): Promise<number> {
    const wp = this.wPrime;
    let penalty = 0;
    for (let j = 0; j < wp.length; j++) penalty += wp[j] * wp[j];
    // a = 0: the logits themselves (0·Z adds exact zeros; the slope is not used).
    const { ce } = this.residualAt(0, this.z!);
    this.residualStep = NaN;
    await this.gradientFromResidual(grad);
    // ce·(1/n), rounded as lineValue rounds it (and evaluate did before the line search).
    return ce * (1 / this.n) + 0.5 * this.l2 * penalty;
  }

  /**
   * The residual (softmax − one-hot)/n of the logits Z + a·Z_d into `residual` (0 on masked rows)
   * and its column sums into `colSum`; returns the summed cross-entropy and Σ residual·Z_d.
   */
  private residualAt(a: number, zd: Float64Array): { ce: number; slope: number } {
    const C = this.classes;
    const z = this.z!;
    const mask = this.rowMask;
    const r = this.residual;
    const colSum = this.colSum.fill(0);
    const invN = 1 / this.n;
    const p = new Float64Array(C);
    let ce = 0;
    let slope = 0;
    for (let i = 0; i < this.x.n; i++) {
      const o = i * C;
      if (mask && mask[i] !== 1) {
        r.fill(0, o, o + C);
        continue;
      }
      let max = -Infinity;
      for (let c = 0; c < C; c++) {
        const v = z[o + c] + a * zd[o + c];
        p[c] = v;
        if (v > max) max = v;
      }
      let sum = 0;
      for (let c = 0; c < C; c++) { const e = Math.exp(p[c] - max); p[c] = e; sum += e; }
      const y = this.labels[i];
      ce += Math.log(sum) + max - (z[o + y] + a * zd[o + y]);
      const inv = 1 / sum;
      for (let c = 0; c < C; c++) {
        const g = (p[c] * inv - (c === y ? 1 : 0)) * invN;
        r[o + c] = g;
        colSum[c] += g;
        slope += g * zd[o + c];
      }
    }
    return { ce, slope };
  }

  /** ∇f (into `grad`) from the residual and its column sums at the current point: one linalg.crossProduct. */
  private async gradientFromResidual(grad: Float64Array): Promise<void> {
    const { k, classes: C, l2 } = this;
    const wp = this.wPrime;
    const colSum = this.colSum;
    const xtr = await this.linalg.crossProduct(this.x.data, this.residual, this.x.n, this.x.d, C);
    const gw = this.gradW;
    const cols = this.columns;
    for (let i = 0; i < k; i++) {
      const s = this.scale[i];
      const mu = this.mean[i];
      const at = (cols ? cols[i] : i) * C;
      for (let c = 0; c < C; c++) gw[i * C + c] = s * (xtr[at + c] - mu * colSum[c]) + l2 * wp[i * C + c];
    }
    if (this.cholInverse) grad.set(await gemm64(this.linalg, this.cholInverse, gw, k, k, C), 0);
    else grad.set(solveLowerInPlace(this.chol, k, gw, C), 0);
    grad.set(colSum, k * C);
  }
}

/** Moves of {@link SoftmaxObjective.lineAccept} between logits recomputed from θ. */
export const EXACT_LOGITS_EVERY = 10;

function sameValues(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Fits multinomial logistic regression with bias and L2 penalty on an n×k float32 block by
 * full-batch L-BFGS in whitened coordinates (see {@link SoftmaxObjective}; stopping rule in
 * ./lbfgs.ts: ‖∇‖∞ ≤ gtol·‖∇₀‖∞, or relative loss decrease ≤ ftol, or maxIterations).
 * Starting from θ = 0, the first search direction is exactly the ridge solution's direction
 * (−∇ at 0 in whitened coordinates maps to (Σ+λI)⁻¹·X_cᵀY_c), so the ridge warm start comes free.
 */
export async function fitSoftmaxProbe(train: FeatureBlock, trainLabels: Int32Array, opts: SoftmaxOptions = {}): Promise<SoftmaxFit> {
  checkFeatureBlock(train, 'train features');
  if (trainLabels.length !== train.n) throw new RangeError(`softmax: ${trainLabels.length} labels for ${train.n} training rows`);
  const l2 = opts.l2 ?? DEFAULT_SOFTMAX_L2;
  if (!(l2 >= 0)) throw new RangeError(`softmax: l2 must be ≥ 0, got ${l2}`);
  const linalg = opts.linalg ?? await libraryLinalg();
  const classes = opts.classes ?? countClasses(trainLabels, 'train labels');
  for (let i = 0; i < trainLabels.length; i++) {
    const y = trainLabels[i];
    if (!(y >= 0 && y < classes)) throw new RangeError(`train labels: label ${y} at row ${i} outside 0..${classes - 1}`);
  }
  const moments = opts.moments ?? await centredMoments(train, trainLabels, { linalg, classes });
  if (opts.rowMask && !opts.moments) throw new RangeError('softmax: a row mask needs the moments of the unmasked rows');
  if (opts.columns && !opts.moments) throw new RangeError('softmax: columns need the moments of those columns');
  const whitening = opts.whitening ?? await whiteningOf(moments, l2, opts.standardize ?? false, linalg);
  const objective = new SoftmaxObjective(train, trainLabels, moments, { l2, standardize: opts.standardize, classes, whitening, rowMask: opts.rowMask, columns: opts.columns }, linalg);
  const theta0 = opts.init ? objective.fromModel(opts.init) : new Float64Array(objective.size);
  // The gradient test is relative to the gradient at θ = 0 (W = 0, b = 0), also when warm-starting,
  // so a start near the optimum is not held to a tighter absolute test.
  const gradientScale = opts.init ? objective.gradientInfAtZero() : undefined;
  const res = await minimizeLbfgs((t, g) => objective.evaluate(t, g), theta0, {
    gradientScale,
    gtol: opts.gtol ?? PROBE_DEFAULTS.softmax.gtol,
    ftol: opts.ftol ?? PROBE_DEFAULTS.softmax.ftol,
    maxIterations: opts.maxIterations ?? PROBE_DEFAULTS.softmax.maxIterations,
    memory: opts.memory ?? PROBE_DEFAULTS.softmax.memory,
    onIteration: opts.onIteration,
    line: {
      start: (x, dir) => objective.lineStart(x, dir),
      value: (a) => objective.lineValue(a),
      accept: (a, next, grad) => objective.lineAccept(a, next, grad),
    },
  });
  let gradInf = 0;
  for (const v of res.grad) gradInf = Math.max(gradInf, Math.abs(v));
  return {
    model: objective.toModel(res.x),
    loss: res.f,
    gradInf,
    iterations: res.iterations,
    evaluations: res.evaluations,
    lineEvaluations: res.lineEvaluations,
    stop: res.stop,
    l2,
  };
}
