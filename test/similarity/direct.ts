// Direct n×n CKA in float64 for tests: independent of the feature-space and Gram-block formulas.
import type { FeatureBlock } from '../../src/types.js';
import { SeededRng } from '../../src/util/random.js';

function kernel(x: FeatureBlock): Float64Array {
  const { data, n, d } = x;
  const k = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let a = 0; a < d; a++) s += data[i * d + a] * data[j * d + a];
      k[i * n + j] = s;
    }
  }
  return k;
}

/** H K H with H = I − 11ᵀ/n. */
function doubleCentre(k: Float64Array, n: number): Float64Array {
  const row = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { row[i] += k[i * n + j]; total += k[i * n + j]; }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = k[i * n + j] - row[i] / n - row[j] / n + total / (n * n);
  return out;
}

/** U-centring (Székely & Rizzo 2014): zero diagonal, 1/(n−2) row/column sums, 1/((n−1)(n−2)) total. */
function uCentre(k: Float64Array, n: number): Float64Array {
  const row = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) { row[i] += k[i * n + j]; total += k[i * n + j]; }
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      out[i * n + j] = k[i * n + j] - row[i] / (n - 2) - row[j] / (n - 2) + total / ((n - 1) * (n - 2));
    }
  }
  return out;
}

function inner(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** CKA from n×n kernels: biased tr(HKH·HLH)-form, or U-centred when `debiased`. */
export function directCka(x: FeatureBlock, y: FeatureBlock, debiased: boolean): number {
  const n = x.n;
  const centre = debiased ? uCentre : doubleCentre;
  const k = centre(kernel(x), n);
  const l = centre(kernel(y), n);
  return inner(k, l) / Math.sqrt(inner(k, k) * inner(l, l));
}

/** Columns `cols` of x as a new block. */
export function columns(x: FeatureBlock, cols: ArrayLike<number>): FeatureBlock {
  const k = cols.length;
  const data = new Float32Array(x.n * k);
  for (let i = 0; i < x.n; i++) for (let j = 0; j < k; j++) data[i * k + j] = x.data[i * x.d + cols[j]];
  return { data, n: x.n, d: k };
}

/** x·M for a p×q float64 matrix M, rounded to float32. */
export function transform(x: FeatureBlock, m: Float64Array, q: number): FeatureBlock {
  const data = new Float32Array(x.n * q);
  for (let i = 0; i < x.n; i++) {
    for (let b = 0; b < q; b++) {
      let s = 0;
      for (let a = 0; a < x.d; a++) s += x.data[i * x.d + a] * m[a * q + b];
      data[i * q + b] = s;
    }
  }
  return { data, n: x.n, d: q };
}

/** Correlated ReLU-like features (shared factors + noise + offset), n×d, fixed by seed. */
export function layerLike(n: number, d: number, seed: number, factors = 4): FeatureBlock {
  const rng = new SeededRng(seed);
  const w = Float64Array.from({ length: factors * d }, () => rng.nextNormal());
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: factors }, () => rng.nextNormal());
    for (let j = 0; j < d; j++) {
      let s = 0.6 * rng.nextNormal();
      for (let f = 0; f < factors; f++) s += z[f] * w[f * d + j];
      data[i * d + j] = Math.max(0, s) + 0.1;
    }
  }
  return { data, n, d };
}

/** A random p×p orthogonal matrix (Gram–Schmidt on Gaussian columns), row-major. */
export function randomOrthogonal(p: number, seed: number): Float64Array {
  const rng = new SeededRng(seed);
  const cols: Float64Array[] = [];
  while (cols.length < p) {
    const v = Float64Array.from({ length: p }, () => rng.nextNormal());
    for (const c of cols) {
      let dp = 0;
      for (let i = 0; i < p; i++) dp += v[i] * c[i];
      for (let i = 0; i < p; i++) v[i] -= dp * c[i];
    }
    const norm = Math.hypot(...v);
    for (let i = 0; i < p; i++) v[i] /= norm;
    cols.push(v);
  }
  const m = new Float64Array(p * p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) m[i * p + j] = cols[j][i];
  return m;
}
