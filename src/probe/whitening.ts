import { choleskyFactor } from '../linalg/cholesky.js';
import { choleskyFactorBlocked, invertLowerBlocked } from '../linalg/blockedCholesky.js';
import type { Linalg } from '../linalg/types.js';
import { inverseStdFromGram, type CentredMoments } from './gram.js';

/**
 * The softmax probe's change of variables for k features: the Cholesky factor L (k×k lower,
 * row-major) of D·G·D/n + ε·I, and optionally its explicit inverse M = L⁻¹ (lower too), which lets
 * every evaluation apply L⁻ᵀ and L⁻¹ as two native float64 products instead of two triangular
 * solves in TypeScript. Only speed depends on either: the probe's minimiser is the same for any
 * invertible factor, and the objective applies M wherever it applies L⁻¹ (so it stays exact even
 * though M is L⁻¹ only to rounding).
 */
export interface Whitening {
  factor: Float64Array;
  inverse?: Float64Array;
}

/** Features from which the explicit inverse pays (measured at 45,000 rows: below, solves are cheap). */
export const WHITENING_INVERSE_MIN_K = 256;

/**
 * D·G·D/n + ε·I, lower triangle (D = diag 1/σ with standardisation, else I; ε = max(λ, 1e-10·mean
 * diagonal) keeps it positive definite).
 */
function whiteningMatrix(m: CentredMoments, l2: number, standardize: boolean): Float64Array {
  const k = m.d;
  const scale = standardize ? inverseStdFromGram(m) : undefined;
  const a = new Float64Array(k * k);
  let trace = 0;
  for (let i = 0; i < k; i++) {
    const si = scale ? scale[i] : 1;
    for (let j = 0; j <= i; j++) a[i * k + j] = (m.gram[i * k + j] * si * (scale ? scale[j] : 1)) / m.n;
    trace += a[i * k + i];
  }
  const eps = Math.max(l2, 1e-10 * (trace / k || 1));
  for (let i = 0; i < k; i++) a[i * k + i] += eps;
  return a;
}

/** The factor L of {@link Whitening} in TypeScript (small k, or no backend at hand). */
export function whiteningFactor(m: CentredMoments, l2: number, standardize = false): Float64Array {
  return choleskyFactor(whiteningMatrix(m, l2, standardize), m.d);
}

/**
 * The {@link Whitening} of the centred moments of k features: L factored blocked on the backend's
 * float64 product, and M = L⁻¹ as well when k ≥ {@link WHITENING_INVERSE_MIN_K} and the backend has
 * a native `matmul64` (the inverse costs k³ flops once, on the same product).
 */
export async function whiteningOf(m: CentredMoments, l2: number, standardize: boolean, linalg: Linalg): Promise<Whitening> {
  const factor = await choleskyFactorBlocked(whiteningMatrix(m, l2, standardize), m.d, { linalg });
  return { factor, inverse: await whiteningInverse(factor, m.d, linalg) };
}

/** M = L⁻¹ for a k×k lower factor when it pays (see {@link whiteningOf}), else undefined. */
export async function whiteningInverse(factor: Float64Array, k: number, linalg: Linalg): Promise<Float64Array | undefined> {
  if (!(k >= WHITENING_INVERSE_MIN_K && linalg.matmul64)) return undefined;
  return invertLowerBlocked(factor, k, { linalg });
}

/** The leading k×k block of a K×K row-major factor, as a contiguous copy. */
export function leadingBlock(l: Float64Array, bigK: number, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) out.set(l.subarray(i * bigK, i * bigK + i + 1), i * k);
  return out;
}

/** The leading k×k blocks of a K×K whitening (L's and M's: the inverse of a leading block of L is M's). */
export function leadingWhitening(w: Whitening, bigK: number, k: number): Whitening {
  if (k === bigK) return w;
  return { factor: leadingBlock(w.factor, bigK, k), inverse: w.inverse && k >= WHITENING_INVERSE_MIN_K ? leadingBlock(w.inverse, bigK, k) : undefined };
}
