import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { symmetricEigenBlocked } from '../linalg/eigenBlocked.js';
import { centredGram } from '../linalg/centred.js';
import { householderQ } from '../linalg/householderQr.js';
import { gemm64 } from '../linalg/dense64.js';
import { SeededRng } from '../util/random.js';

/** Principal directions of a training block. */
export interface PcaBasis {
  d: number;
  /** Rows the basis was fitted on. */
  n: number;
  /** Covariance eigenvalues (units: feature²), descending, one per direction (length `columns`). */
  values: Float64Array;
  /**
   * d×columns row-major Float64Array; COLUMN j is the unit eigenvector of values[j], signed so
   * that its entry of largest magnitude is positive (deterministic across solvers).
   */
  vectors: Float64Array;
  /** Directions held: d for the exact basis, q for the randomized one (default d). */
  columns?: number;
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
export function computePcaBasis(train: FeatureBlock, linalg?: Linalg): Promise<PcaBasis> {
  checkFeatureBlock(train, 'PCA training features');
  if (train.n < 2) throw new RangeError(`PCA: training features need at least 2 rows, got ${train.n}`);
  const cached = basisCache.get(train.data);
  if (cached) return cached;
  const promise = fitBasis(train, linalg);
  basisCache.set(train.data, promise);
  promise.catch(() => basisCache.delete(train.data));
  return promise;
}

async function fitBasis(train: FeatureBlock, linalg?: Linalg): Promise<PcaBasis> {
  linalg ??= await libraryLinalg();
  const { n, d } = train;
  const { gram: cov, mean } = await centredGram(linalg, train);
  for (let i = 0; i < cov.length; i++) cov[i] /= n - 1;
  const { values, vectors } = await symmetricEigenBlocked(cov, d, { linalg });
  signByLargest(vectors, d, d);
  return { d, n, values, vectors, mean, columns: d };
}

/** Flips each column of a d×c matrix so that its entry of largest magnitude is positive. */
function signByLargest(vectors: Float64Array, d: number, c: number): void {
  // Row by row (the matrix is row-major): the first row holding a column's largest |entry| wins, as
  // a column walk would pick it.
  const largest = new Float64Array(c);
  const sign = new Float64Array(c).fill(1);
  for (let i = 0; i < d; i++) {
    const o = i * c;
    for (let j = 0; j < c; j++) {
      const v = vectors[o + j];
      if (Math.abs(v) > largest[j]) {
        largest[j] = Math.abs(v);
        sign[j] = v < 0 ? -1 : 1;
      }
    }
  }
  for (let i = 0; i < d; i++) {
    const o = i * c;
    for (let j = 0; j < c; j++) if (sign[j] < 0) vectors[o + j] = -vectors[o + j];
  }
}

/** Options of {@link computePcaLowrankBasis}. */
export interface PcaLowrankOptions {
  /** Seed of the Gaussian test matrix (torch draws it with torch.randn). */
  seed: number;
  /** Subspace size q, 1 ≤ q ≤ min(n, d) (default min(n, d), as the paper's call). */
  q?: number;
  /** Subspace (power) iterations (default 2, torch's default). */
  niter?: number;
  /** Backend of the n×d products (float32 like torch's) and of the double GEMM under the QRs. */
  linalg?: Linalg;
}

const lowrankCache = new WeakMap<Float32Array, Map<string, Promise<PcaBasis>>>();

/**
 * The paper's randomized PCA, `torch.pca_lowrank(X, q, center=True, niter)` (Halko, Martinsson
 * & Tropp 2009, Alg. 4.4 range finder + Alg. 5.1, in torch's arrangement): X n×d is centred by
 * its column means, the range of the centred matrix (or of its transpose when n < d or d > q,
 * as torch) is found from a seeded Gaussian n×q or d×q start with `niter` QR-orthonormalised
 * power iterations, and the SVD of the projected q-column matrix gives q principal directions.
 * The n×d products run on `linalg.matmul`/`crossProduct` (float32 inputs, as torch on float32
 * features); QRs are blocked Householder in float64. Differs from torch only in the random
 * start (our {@link SeededRng} normals, not torch.randn). With q = min(n, d) the directions
 * equal the exact PCA's up to float32 rounding (a full-rank range finder is exact).
 * @returns a basis with `columns = q`: values = S²/(n − 1) descending, vectors d×q.
 */
export function computePcaLowrankBasis(train: FeatureBlock, opts: PcaLowrankOptions): Promise<PcaBasis> {
  checkFeatureBlock(train, 'PCA training features');
  const { n, d } = train;
  if (n < 2) throw new RangeError(`pca-lowrank: training features need at least 2 rows, got ${n}`);
  const q = opts.q ?? Math.min(n, d);
  const niter = opts.niter ?? 2;
  if (!Number.isInteger(q) || q < 1 || q > Math.min(n, d)) throw new RangeError(`pca-lowrank: q must be an integer in [1, min(n, d) = ${Math.min(n, d)}], got ${q}`);
  if (!Number.isInteger(niter) || niter < 0) throw new RangeError(`pca-lowrank: niter must be a non-negative integer, got ${niter}`);
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`pca-lowrank: seed must be an integer, got ${opts.seed}`);
  let byKey = lowrankCache.get(train.data);
  if (!byKey) lowrankCache.set(train.data, (byKey = new Map()));
  const key = `${q}|${niter}|${opts.seed}`;
  const cached = byKey.get(key);
  if (cached) return cached;
  const promise = fitLowrank(train, q, niter, opts.seed, opts.linalg);
  byKey.set(key, promise);
  promise.catch(() => byKey!.delete(key));
  return promise;
}

async function fitLowrank(train: FeatureBlock, q: number, niter: number, seed: number, given?: Linalg): Promise<PcaBasis> {
  const linalg = given ?? await libraryLinalg();
  const { n, d, data } = train;
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) mean[j] += data[r * d + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const ac = new Float32Array(n * d);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) ac[r * d + j] = data[r * d + j] - mean[j];
  /** Ac·X for X d×c → n×c. */
  const times = async (x: Float64Array, c: number) => Float64Array.from(await linalg.matmul(ac, Float32Array.from(x), n, d, c));
  /** Acᵀ·Y for Y n×c → d×c. */
  const timesT = (y: Float64Array, c: number) => linalg.crossProduct(ac, Float32Array.from(y), n, d, c);
  const qr = (x: Float64Array, rows: number) => householderQ(x, rows, q, { linalg });
  const rng = new SeededRng(seed);
  let vectors: Float64Array;
  let s2: Float64Array;
  if (n < d || d > q) {
    // Range of Acᵀ (d×n): Q d×q.
    const r0 = Float64Array.from({ length: n * q }, () => rng.nextNormal());
    let basis = await qr(await timesT(r0, q), d);
    for (let it = 0; it < niter; it++) {
      basis = await qr(await times(basis, q), n);
      basis = await qr(await timesT(basis, q), d);
    }
    const bt = await times(basis, q); // n×q
    const small = await symmetricEigenBlocked(await gemm64(linalg, bt, bt, q, n, q, { transposeA: true }), q, { linalg });
    vectors = await gemm64(linalg, basis, small.vectors, d, q, q);
    s2 = small.values;
  } else {
    // n ≥ d = q: range of Ac (n×d): Q n×q, B = Acᵀ·Q d×q.
    const r0 = Float64Array.from({ length: d * q }, () => rng.nextNormal());
    let basis = await qr(await times(r0, q), n);
    for (let it = 0; it < niter; it++) {
      basis = await qr(await timesT(basis, q), d);
      basis = await qr(await times(basis, q), n);
    }
    const b = await timesT(basis, q); // d×q
    const big = await symmetricEigenBlocked(await gemm64(linalg, b, b, d, q, d, { transposeB: true }), d, { linalg });
    vectors = new Float64Array(d * q);
    for (let i = 0; i < d; i++) vectors.set(big.vectors.subarray(i * d, i * d + q), i * q);
    s2 = big.values.slice(0, q);
  }
  signByLargest(vectors, d, q);
  const values = Float64Array.from(s2, (v) => Math.max(0, v) / (n - 1));
  return { d, n, values, vectors, mean, columns: q };
}

/**
 * d×k Float32Array (row-major) of k principal directions: the top k (`which = 'top'`,
 * largest variance first) or the bottom k (`'bottom'`: the last k of the basis' columns, in
 * its descending order, i.e. the k smallest-variance directions it holds).
 */
export function pcaProjectionMatrix(basis: PcaBasis, k: number, which: 'top' | 'bottom'): Float32Array {
  const { d, vectors } = basis;
  const cols = basis.columns ?? d;
  if (!Number.isInteger(k) || k < 1 || k > cols) throw new RangeError(`PCA: k must be an integer in [1, ${cols}] (directions in the basis), got ${k}`);
  const first = which === 'top' ? 0 : cols - k;
  const out = new Float32Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[i * k + j] = vectors[i * cols + first + j];
  return out;
}
