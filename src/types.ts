/**
 * Shapes that travel between stages. A feature block is row-major: row i, neuron j is
 * `data[i * d + j]`.
 */
export interface FeatureBlock {
  /** n×d row-major Float32Array. */
  data: Float32Array;
  /** Number of rows (examples). */
  n: number;
  /** Number of columns (neurons). */
  d: number;
}

/** Integer class labels, one per row, in 0..C-1. */
export type Labels = Int32Array;

/** Throws unless `block.data.length === n*d` with positive integer n, d. */
export function checkFeatureBlock(block: FeatureBlock, what = 'features'): void {
  const { data, n, d } = block;
  if (!(data instanceof Float32Array)) throw new TypeError(`${what}: expected a Float32Array`);
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 0 || d < 1) {
    throw new RangeError(`${what}: expected non-negative integer n and positive d, got n=${n}, d=${d}`);
  }
  if (data.length !== n * d) {
    throw new RangeError(`${what}: data has ${data.length} values, expected n×d = ${n}×${d} = ${n * d}`);
  }
}
