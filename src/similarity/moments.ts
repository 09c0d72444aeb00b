import { columnMeans, dot } from '../util/vector.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';

export { columnMeans, dot };

/**
 * Per-row squared norms of the column-centred block: r_i = Σ_j (x_ij − mean_j)²,
 * in float64 → length-n Float64Array.
 */
export function centredRowSquares(x: FeatureBlock, mean: Float64Array): Float64Array {
  const { data, n, d } = x;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = data[off + j] - mean[j];
      s += v * v;
    }
    out[i] = s;
  }
  return out;
}

/**
 * Centred cross-product (X − 1μxᵀ)ᵀ(Y − 1μyᵀ) = XᵀY − n·μx·μyᵀ → p×q Float64Array.
 * The uncentred product comes from `linalg` on the float32 data as given (no rounding of
 * centred values to float32), and the rank-one correction is applied in float64. When
 * `y` is `x` the symmetric Gram routine is used.
 */
export async function centredCrossProduct(
  x: FeatureBlock,
  y: FeatureBlock,
  meanX: Float64Array,
  meanY: Float64Array,
  linalg: Linalg,
): Promise<Float64Array> {
  checkFeatureBlock(x, 'x');
  checkFeatureBlock(y, 'y');
  if (x.n !== y.n) throw new RangeError(`centredCrossProduct: x has ${x.n} rows but y has ${y.n}`);
  const { n } = x;
  const p = x.d;
  const q = y.d;
  const out = x === y ? await linalg.gram(x.data, n, p) : await linalg.crossProduct(x.data, y.data, n, p, q);
  for (let a = 0; a < p; a++) {
    const ma = n * meanX[a];
    const off = a * q;
    for (let b = 0; b < q; b++) out[off + b] -= ma * meanY[b];
  }
  return out;
}

/**
 * How a centred product is formed. `float64`: the backend multiplies the float32 data as
 * given and the rank-one mean correction is applied in float64 — exact when the backend
 * accumulates in float64, but with a float32-accumulating backend the correction cancels
 * digits when means are large next to spreads. `shift`: the columns are first shifted by
 * their float64 means into a float32 copy (rounding the centred values to float32, ~6e-8
 * relative), so the backend only sees nearly centred numbers. `auto` picks `float64` for
 * backends known to accumulate in float64 and `shift` for all others.
 */
export type Centring = 'auto' | 'float64' | 'shift';

/** Whether a backend states that it accumulates products in float64 (its `precision` field). */
export function accumulatesInFloat64(linalg: Linalg): boolean {
  return linalg.precision === 'float64';
}

/** Resolves `auto` for a backend. */
export function resolveCentring(centring: Centring | undefined, linalg: Linalg): 'float64' | 'shift' {
  const c = centring ?? 'auto';
  if (c === 'float64' || c === 'shift') return c;
  if (c !== 'auto') throw new RangeError(`centring must be 'auto', 'float64' or 'shift', got '${String(c)}'`);
  return accumulatesInFloat64(linalg) ? 'float64' : 'shift';
}

/**
 * x − 1·meanᵀ rounded to float32 (n×d), with the float64 column means of the rounded values
 * (≈ 0), so a centred product of the copy is exact for the rounded data.
 */
export function shiftedCopy(x: FeatureBlock, mean: Float64Array): { block: FeatureBlock; mean: Float64Array } {
  const { data, n, d } = x;
  const out = new Float32Array(n * d);
  const residual = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = Math.fround(data[off + j] - mean[j]);
      out[off + j] = v;
      residual[j] += v;
    }
  }
  if (n > 0) for (let j = 0; j < d; j++) residual[j] /= n;
  return { block: { data: out, n, d }, mean: residual };
}

/** Squared Frobenius norm Σ v² of a Float64Array. */
export function squaredNorm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return s;
}


/** Sum of a Float64Array. */
export function sum(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/**
 * The unbiased HSIC estimator of Song et al. (2012) for linear kernels K = XXᵀ, L = YYᵀ,
 * written with column-centred X, Y (the estimator is unchanged by centring), times
 * n(n − 3):
 *
 *   n(n−3)·HSIC_u = ‖XᵀY‖²_F − n/(n−2)·rxᵀry + (Σrx)(Σry)/((n−1)(n−2))
 *
 * where rx, ry are the per-row squared norms of the centred X, Y. `crossSquared` is
 * ‖XᵀY‖²_F, `rowDot` is rxᵀry, `traceX` = Σrx, `traceY` = Σry. Requires n ≥ 4.
 */
export function scaledUnbiasedHsic(crossSquared: number, rowDot: number, traceX: number, traceY: number, n: number): number {
  if (n < 4) throw new RangeError(`debiased HSIC needs at least 4 rows, got ${n}`);
  return crossSquared - (n / (n - 2)) * rowDot + (traceX * traceY) / ((n - 1) * (n - 2));
}
