import { choleskyFactor } from '../linalg/cholesky.js';
import { inverseStdFromGram, type CentredMoments } from './gram.js';

/**
 * Cholesky factor L (k×k lower, row-major) with L·Lᵀ = D·G·D/n + ε·I for the centred moments of
 * k features: the softmax probe's change of variables (D = diag 1/σ with standardisation, else I;
 * ε = max(λ, 1e-10·mean diagonal) keeps it positive definite). Only speed depends on it: the
 * probe's minimiser is the same for any invertible factor.
 */
export function whiteningFactor(m: CentredMoments, l2: number, standardize = false): Float64Array {
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
  return choleskyFactor(a, k);
}

/** The leading k×k block of a K×K row-major factor, as a contiguous copy. */
export function leadingBlock(l: Float64Array, bigK: number, k: number): Float64Array {
  const out = new Float64Array(k * k);
  for (let i = 0; i < k; i++) out.set(l.subarray(i * bigK, i * bigK + i + 1), i * k);
  return out;
}
