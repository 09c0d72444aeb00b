/**
 * Ridge in the dual, for training splits with fewer rows than features (10-shot data: n ≈ 100,
 * k up to d). With n rows, XcᵀXc (k×k) has rank ≤ n − 1, and the push-through identity
 * (XcᵀXc + nλI)⁻¹·Xcᵀ = Xcᵀ·(XcXcᵀ + nλI)⁻¹ turns every k×k factorisation of the primal into an
 * n×n one: the same heads to rounding for n²·k + n³ work instead of k³.
 */
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { symmetricEigenBlocked } from '../linalg/eigenBlocked.js';
import { choleskyFactor, solveLowerInPlace, solveLowerTransposedInPlace } from '../linalg/cholesky.js';
import { gemm64 } from '../linalg/dense64.js';
import type { FeatureBlock } from '../types.js';
import { scoreAccuracy } from './evaluate.js';
import { heldOutSquaredError, type RidgeCurves } from './penalty.js';
import { complementRows } from './validation.js';
import { gatherRows } from './features.js';
import { columnMeans } from '../util/vector.js';
import type { LinearModel } from './types.js';

/** a·bᵀ for row blocks a (na×k) and b (nb×k): na×nb float64 (linalg's double product when it has one). */
async function rowProducts(a: Float64Array, na: number, b: Float64Array, nb: number, k: number, linalg: Linalg, symmetric = false): Promise<Float64Array> {
  const out = await gemm64(linalg, a, b, na, k, nb, { transposeB: true });
  if (symmetric) {
    // Exact symmetry for the eigensolver and Cholesky, whatever order the product summed in.
    for (let i = 0; i < na; i++) for (let j = 0; j < i; j++) { const v = 0.5 * (out[i * nb + j] + out[j * nb + i]); out[i * nb + j] = v; out[j * nb + i] = v; }
  }
  return out;
}

/** Rows of `x` minus `mean`, each column times `scale` when given; float64, n×k. */
function centreRows(x: FeatureBlock, mean: ArrayLike<number>, scale?: ArrayLike<number>): Float64Array {
  const { n, d: k } = x;
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) out[r * k + j] = (x.data[r * k + j] - mean[j]) * (scale ? scale[j] : 1);
  }
  return out;
}

/** Share of each class among `labels` (length `classes`). */
function classShares(labels: ArrayLike<number>, classes: number): Float64Array {
  const out = new Float64Array(classes);
  for (let i = 0; i < labels.length; i++) out[labels[i]] += 1;
  for (let c = 0; c < classes; c++) out[c] /= labels.length;
  return out;
}

/**
 * The held-out curves from the centred kernels of one fit/validation division: `kff` (nf×nf) =
 * XsXsᵀ over the fit rows and `kvf` (nv×nf) = VsXsᵀ, rows centred on the fit rows' means (and
 * scaled alike). With XsXsᵀ = UΣUᵀ, λ's held-out scores are Vs·Xsᵀ·U·diag(1/(σ⁺ + nf·λ))·Uᵀ·Yc + ȳ,
 * σ⁺ the eigenvalues clipped at 0 (the primal's nearest positive semi-definite Gram).
 */
async function curvesFromKernels(
  kff: Float64Array, kvf: Float64Array, nf: number, nv: number, fitLabels: ArrayLike<number>, valLabels: Int32Array,
  classMean: ArrayLike<number>, classes: number, lambdas: readonly number[], linalg: Linalg,
): Promise<RidgeCurves> {
  const C = classes;
  const { values, vectors: u } = await symmetricEigenBlocked(kff, nf, { linalg });
  // B = Uᵀ·Yc (nf×C), Yc the one-hot targets minus the fit rows' class shares.
  const b = new Float64Array(nf * C);
  for (let r = 0; r < nf; r++) {
    const y = fitLabels[r];
    for (let j = 0; j < nf; j++) {
      const q = u[r * nf + j];
      for (let c = 0; c < C; c++) b[j * C + c] += q * ((c === y ? 1 : 0) - classMean[c]);
    }
  }
  const a = await gemm64(linalg, kvf, u, nv, nf, nf);
  const accuracy: number[] = [];
  const squaredError: number[] = [];
  const scores = new Float64Array(nv * C);
  for (const lambda of lambdas) {
    scores.fill(0);
    for (let j = 0; j < nf; j++) {
      const denom = Math.max(values[j], 0) + nf * lambda;
      const inv = denom > 0 ? 1 / denom : 0;
      if (inv === 0) continue;
      for (let i = 0; i < nv; i++) {
        const w = a[i * nf + j] * inv;
        if (w === 0) continue;
        for (let c = 0; c < C; c++) scores[i * C + c] += w * b[j * C + c];
      }
    }
    accuracy.push(scoreAccuracy(scores, classMean, valLabels, C).accuracy);
    squaredError.push(heldOutSquaredError(scores, classMean, valLabels, C));
  }
  return { accuracy, squaredError };
}

/**
 * The same validation curve as src/probe/penalty.ts's `ridgeValidationCurve` (both scores), from
 * the fit rows themselves in the dual: one nf×nf eigendecomposition of the fit rows' float64 kernel
 * instead of a k×k one of the Gram. Means, class shares and the standardisation come from the fit rows.
 * @param fit nf×k fit rows; `val` nv×k held-out rows (same columns); labels beside each.
 */
export async function ridgeValidationCurveDual(
  fit: FeatureBlock, fitLabels: Int32Array, val: FeatureBlock, valLabels: Int32Array, lambdas: readonly number[],
  opts: { classes: number; standardize?: boolean; linalg?: Linalg },
): Promise<RidgeCurves> {
  const linalg = opts.linalg ?? await libraryLinalg();
  const { n, d: k } = fit;
  const C = opts.classes;
  if (fitLabels.length !== n) throw new RangeError(`ridge validation (dual): ${fitLabels.length} labels for ${n} fit rows`);
  if (val.d !== k) throw new RangeError(`ridge validation (dual): held-out rows have ${val.d} columns, fit rows ${k}`);
  if (valLabels.length !== val.n) throw new RangeError(`ridge validation (dual): ${valLabels.length} labels for ${val.n} held-out rows`);
  if (lambdas.length === 0) return { accuracy: [], squaredError: [] };
  const mean = columnMeans(fit);
  const scale = opts.standardize ? inverseStd(fit, mean) : undefined;
  const xs = centreRows(fit, mean, scale);
  const vs = centreRows(val, mean, scale);
  return curvesFromKernels(
    await rowProducts(xs, n, xs, n, k, linalg, true), await rowProducts(vs, val.n, xs, n, k, linalg), n, val.n, fitLabels, valLabels, classShares(fitLabels, C), C, lambdas, linalg,
  );
}

/** 1/σ per column (population σ about `mean`), 1 for constant columns: training statistics of the rows. */
function inverseStd(x: FeatureBlock, mean: Float64Array): Float64Array {
  const { n, d: k } = x;
  const out = new Float64Array(k);
  for (let r = 0; r < n; r++) for (let j = 0; j < k; j++) { const v = x.data[r * k + j] - mean[j]; out[j] += v * v; }
  for (let j = 0; j < k; j++) out[j] = out[j] > 0 ? 1 / Math.sqrt(out[j] / n) : 1;
  return out;
}

/**
 * Pooled ridge validation curves over disjoint folds of a small training split, in the dual: fold
 * j's heads are fitted on the other rows and scored on fold j, and each curve point is the mean
 * over all n held-out predictions (accuracy and squared error, both). Without standardisation the
 * n×n kernel of the rows is formed once and re-centred per fold on that fold's fit rows
 * (K_c = K − r·1ᵀ − 1·rᵀ + ḡ, r the kernel's row means over the fit rows), so the k columns are
 * read once per probe instead of once per fold and score; with it, each fold's own scaling needs
 * its own kernel. Every fold must have fewer fit rows than `x` has columns for this to be the cheap
 * side (the caller's choice; the result is the primal's either way).
 * @param x n×k selected training features; `labels` length n.
 * @param folds disjoint ascending row lists covering 0..n−1 (src/probe/validation.ts's plan).
 */
export async function ridgeFoldCurvesDual(
  x: FeatureBlock, labels: Int32Array, folds: readonly Int32Array[], lambdas: readonly number[],
  opts: { classes: number; standardize?: boolean; linalg?: Linalg },
): Promise<RidgeCurves> {
  const linalg = opts.linalg ?? await libraryLinalg();
  const { n, d: k } = x;
  const C = opts.classes;
  if (labels.length !== n) throw new RangeError(`ridge folds (dual): ${labels.length} labels for ${n} rows`);
  const covered = folds.reduce((t, f) => t + f.length, 0);
  if (covered !== n) throw new RangeError(`ridge folds (dual): folds hold ${covered} rows, the split has ${n}`);
  const L = lambdas.length;
  const accuracy = new Float64Array(L);
  const squaredError = new Float64Array(L);
  // Centring once on all rows keeps the per-fold re-centring a small correction (no cancellation).
  const globallyCentred = opts.standardize ? undefined : centreRows(x, columnMeans(x));
  const shared = globallyCentred ? await rowProducts(globallyCentred, n, globallyCentred, n, k, linalg, true) : undefined;
  for (const fold of folds) {
    const fitRows = complementRows(fold, n);
    const nf = fitRows.length;
    const nv = fold.length;
    let kernel: Float64Array;
    if (shared) {
      kernel = shared;
    } else {
      // Standardised: scale by the fit rows' standard deviations (training statistics of this fold).
      const fitBlock = gatherRows(x, fitRows);
      const mean = columnMeans(fitBlock);
      const rows = centreRows(x, mean, inverseStd(fitBlock, mean));
      kernel = await rowProducts(rows, n, rows, n, k, linalg, true);
    }
    // Row means over the fit rows, for re-centring on the fit rows' mean.
    const rowMean = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (const j of fitRows) s += kernel[i * n + j];
      rowMean[i] = s / nf;
    }
    let grand = 0;
    for (const i of fitRows) grand += rowMean[i];
    grand /= nf;
    const kff = new Float64Array(nf * nf);
    for (let a = 0; a < nf; a++) {
      const i = fitRows[a];
      for (let b = 0; b < nf; b++) { const j = fitRows[b]; kff[a * nf + b] = kernel[i * n + j] - rowMean[i] - rowMean[j] + grand; }
    }
    const kvf = new Float64Array(nv * nf);
    for (let a = 0; a < nv; a++) {
      const i = fold[a];
      for (let b = 0; b < nf; b++) { const j = fitRows[b]; kvf[a * nf + b] = kernel[i * n + j] - rowMean[i] - rowMean[j] + grand; }
    }
    const fitLabels = Int32Array.from(fitRows, (i) => labels[i]);
    const valLabels = Int32Array.from(fold, (i) => labels[i]);
    const curves = await curvesFromKernels(kff, kvf, nf, nv, fitLabels, valLabels, classShares(fitLabels, C), C, lambdas, linalg);
    for (let t = 0; t < L; t++) {
      accuracy[t] += curves.accuracy[t] * nv / n;
      squaredError[t] += curves.squaredError[t] * nv / n;
    }
  }
  return { accuracy: Array.from(accuracy), squaredError: Array.from(squaredError) };
}

/**
 * Closed-form ridge head from the rows, in the dual (the same head as src/probe/ridge.ts's
 * `fitRidgeFromMoments` to rounding): W = D·Xsᵀ·(XsXsᵀ + nλI)⁻¹·Yc with Xs the centred (optionally
 * standardised, D = diag 1/σ) rows, b = ȳ − μᵀW. One n×n Cholesky: the cheap side when n < k.
 * Returns undefined when XsXsᵀ + nλI is not numerically positive definite (λ = 0 or rounding);
 * the caller then uses the primal, whose eigen fallback handles it. The kernel is summed in float64
 * from the rows, so tiny λ stay exact where a float32-accumulated k×k Gram would be rounding noise
 * in its null space.
 * @param x n×k training features; `labels` length n with values in 0..classes−1.
 */
export async function fitRidgeDual(x: FeatureBlock, labels: Int32Array, opts: { classes: number; l2: number; standardize?: boolean; linalg?: Linalg }): Promise<LinearModel | undefined> {
  const { n, d: k } = x;
  const C = opts.classes;
  if (labels.length !== n) throw new RangeError(`ridge (dual): ${labels.length} labels for ${n} rows`);
  if (!(opts.l2 >= 0)) throw new RangeError(`ridge (dual): l2 must be ≥ 0, got ${opts.l2}`);
  const mean = columnMeans(x);
  const scale = opts.standardize ? inverseStd(x, mean) : undefined;
  const xs = centreRows(x, mean, scale);
  const kernel = await rowProducts(xs, n, xs, n, k, opts.linalg ?? await libraryLinalg(), true);
  for (let i = 0; i < n; i++) kernel[i * n + i] += n * opts.l2;
  let l: Float64Array;
  try {
    l = choleskyFactor(kernel, n);
  } catch {
    return undefined;
  }
  const shares = classShares(labels, C);
  const alpha = new Float64Array(n * C);
  for (let r = 0; r < n; r++) for (let c = 0; c < C; c++) alpha[r * C + c] = (c === labels[r] ? 1 : 0) - shares[c];
  solveLowerInPlace(l, n, alpha, C);
  solveLowerTransposedInPlace(l, n, alpha, C);
  const weights = new Float64Array(k * C);
  for (let r = 0; r < n; r++) {
    const xr = xs.subarray(r * k, r * k + k);
    for (let j = 0; j < k; j++) {
      const v = xr[j];
      if (v === 0) continue;
      for (let c = 0; c < C; c++) weights[j * C + c] += v * alpha[r * C + c];
    }
  }
  if (scale) for (let j = 0; j < k; j++) for (let c = 0; c < C; c++) weights[j * C + c] *= scale[j];
  const bias = Float64Array.from(shares);
  for (let j = 0; j < k; j++) for (let c = 0; c < C; c++) bias[c] -= mean[j] * weights[j * C + c];
  return { k, classes: C, weights, bias };
}
