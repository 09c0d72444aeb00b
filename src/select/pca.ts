import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { referenceLinalg } from '../linalg/reference.js';
import { symmetricEigenBlocked } from '../linalg/eigenBlocked.js';
import { centredGram } from '../linalg/centred.js';

/** Principal directions of a training block. */
export interface PcaBasis {
  d: number;
  /** Rows the basis was fitted on. */
  n: number;
  /** Covariance eigenvalues (units: feature²), descending, length d. */
  values: Float64Array;
  /**
   * d×d row-major Float64Array; COLUMN j is the unit eigenvector of values[j], signed so
   * that its entry of largest magnitude is positive (deterministic across solvers).
   */
  vectors: Float64Array;
  /** Training column means, length d. */
  mean: Float64Array;
}

const basisCache = new WeakMap<Float32Array, Promise<PcaBasis>>();

/**
 * Eigenvectors of the training-feature covariance Σ = (X − 1μᵀ)ᵀ(X − 1μᵀ)/(n − 1),
 * X n×d row-major Float32Array, n ≥ 2. The centred Gram comes from the linalg folder's
 * `centredGram` (rows shifted by their float64 means into float32 blocks, so any backend,
 * float32-accumulating ones included, sees nearly centred values; relative effect on Σ
 * ~1e-7); the eigendecomposition is the linalg folder's `symmetricEigenBlocked` (divide and
 * conquer, products on the backend's double GEMM when it has one).
 * Results are memoised per training array, so sweeps over k pay for one decomposition.
 */
export function computePcaBasis(train: FeatureBlock, linalg: Linalg = referenceLinalg): Promise<PcaBasis> {
  checkFeatureBlock(train, 'PCA training features');
  if (train.n < 2) throw new RangeError(`PCA: training features need at least 2 rows, got ${train.n}`);
  const cached = basisCache.get(train.data);
  if (cached) return cached;
  const promise = fitBasis(train, linalg);
  basisCache.set(train.data, promise);
  promise.catch(() => basisCache.delete(train.data));
  return promise;
}

async function fitBasis(train: FeatureBlock, linalg: Linalg): Promise<PcaBasis> {
  const { n, d } = train;
  const { gram: cov, mean } = await centredGram(linalg, train);
  for (let i = 0; i < cov.length; i++) cov[i] /= n - 1;
  const { values, vectors } = await symmetricEigenBlocked(cov, d, { linalg });
  for (let j = 0; j < d; j++) {
    let best = 0;
    for (let i = 1; i < d; i++) if (Math.abs(vectors[i * d + j]) > Math.abs(vectors[best * d + j])) best = i;
    if (vectors[best * d + j] < 0) for (let i = 0; i < d; i++) vectors[i * d + j] = -vectors[i * d + j];
  }
  return { d, n, values, vectors, mean };
}

/**
 * d×k Float32Array (row-major) of k principal directions: the top k (`which = 'top'`,
 * largest variance first) or the bottom k (`'bottom'`: the last k columns, in the basis'
 * descending order, i.e. the k smallest-variance directions).
 */
export function pcaProjectionMatrix(basis: PcaBasis, k: number, which: 'top' | 'bottom'): Float32Array {
  const { d, vectors } = basis;
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`PCA: k must be an integer in [1, ${d}], got ${k}`);
  const first = which === 'top' ? 0 : d - k;
  const out = new Float32Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[i * k + j] = vectors[i * d + first + j];
  return out;
}
