import { checkFeatureBlock, type FeatureBlock } from '../types.js';

/** True when `indices` is exactly 0, 1, …, d−1 (every column, in order). */
export function isIdentityColumns(indices: Int32Array, d: number): boolean {
  if (indices.length !== d) return false;
  for (let t = 0; t < d; t++) if (indices[t] !== t) return false;
  return true;
}

/** Throws `${what} ${v} outside 0..${limit − 1}` for the first index v not in 0..limit−1. */
export function checkIndices(indices: ArrayLike<number>, limit: number, what: string): void {
  for (let t = 0; t < indices.length; t++) {
    const v = indices[t];
    if (!(v >= 0 && v < limit)) throw new RangeError(`${what} ${v} outside 0..${limit - 1}`);
  }
}

/**
 * Columns `indices` of an n×d row-major block as a contiguous n×k block (k = indices.length),
 * column t of the result being column indices[t] of the input. Probes gather once and then run
 * every product on the contiguous result. When `indices` is every column in order (the full
 * layer) the input block itself is returned, not a copy: at paper scale a copy is one more n×d
 * float32 matrix (369 MB) resident for the whole probe. Callers must treat the result as
 * read-only (the probes do).
 */
export function gatherColumns(block: FeatureBlock, indices: Int32Array): FeatureBlock {
  checkFeatureBlock(block);
  const { data, n, d } = block;
  const k = indices.length;
  checkIndices(indices, d, 'gatherColumns: index');
  if (isIdentityColumns(indices, d)) return block;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    const src = i * d;
    const dst = i * k;
    for (let t = 0; t < k; t++) out[dst + t] = data[src + indices[t]];
  }
  return { data: out, n, d: k };
}

/** Per-column mean and inverse standard deviation of training features (population std). */
export interface Standardizer {
  /** Length d. */
  mean: Float64Array;
  /** 1/std per column; 1 where a column is constant, so it maps to 0 rather than NaN. */
  invStd: Float64Array;
}

/** Column statistics of an n×d training block (float64 accumulation, two passes). */
export function fitStandardizer(train: FeatureBlock): Standardizer {
  checkFeatureBlock(train, 'train features');
  const { data, n, d } = train;
  if (n < 1) throw new RangeError('fitStandardizer: training block has no rows');
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0, o = i * d; j < d; j++) mean[j] += data[o + j];
  for (let j = 0; j < d; j++) mean[j] /= n;
  const ss = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0, o = i * d; j < d; j++) {
      const v = data[o + j] - mean[j];
      ss[j] += v * v;
    }
  }
  const invStd = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const sd = Math.sqrt(ss[j] / n);
    invStd[j] = sd > 0 ? 1 / sd : 1;
  }
  return { mean, invStd };
}

/** (x − mean)·invStd column-wise, into a new n×d block. Use training statistics for test data too. */
export function applyStandardizer(block: FeatureBlock, s: Standardizer): FeatureBlock {
  checkFeatureBlock(block);
  const { data, n, d } = block;
  if (s.mean.length !== d) throw new RangeError(`applyStandardizer: statistics are for d=${s.mean.length}, block has d=${d}`);
  const out = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0, o = i * d; j < d; j++) out[o + j] = (data[o + j] - s.mean[j]) * s.invStd[j];
  }
  return { data: out, n, d };
}

/** Number of classes implied by labels (max + 1); throws on negative or non-integer labels. */
export function countClasses(labels: Int32Array, what = 'labels'): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0) throw new RangeError(`${what}: label ${y} at row ${i} is negative`);
    if (y > max) max = y;
  }
  return max + 1;
}

/** Copies rows `rows` of an n×d block into a new contiguous block (row t = input row rows[t]). */
export function gatherRows(block: FeatureBlock, rows: Int32Array): FeatureBlock {
  const { data, n, d } = block;
  const out = new Float32Array(rows.length * d);
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t];
    if (!(r >= 0 && r < n)) throw new RangeError(`gatherRows: row ${r} outside 0..${n - 1}`);
    out.set(data.subarray(r * d, r * d + d), t * d);
  }
  return { data: out, n: rows.length, d };
}

/**
 * Copies rows `rows` (in that order) and columns `cols` (in that order) of an n×d block into a
 * new contiguous rows.length × cols.length block: one gather for a row-reordered column subset.
 */
export function gatherRowsColumns(block: FeatureBlock, rows: Int32Array, cols: Int32Array): FeatureBlock {
  const { data, n, d } = block;
  const k = cols.length;
  checkIndices(cols, d, 'gatherRowsColumns: column');
  const out = new Float32Array(rows.length * k);
  for (let t = 0; t < rows.length; t++) {
    const r = rows[t];
    if (!(r >= 0 && r < n)) throw new RangeError(`gatherRowsColumns: row ${r} outside 0..${n - 1}`);
    const o = r * d;
    const w = t * k;
    for (let a = 0; a < k; a++) out[w + a] = data[o + cols[a]];
  }
  return { data: out, n: rows.length, d: k };
}
