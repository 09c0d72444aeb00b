import type { FeatureBlock } from '../types.js';
import { checkFeatureBlock } from '../types.js';
import type { Linalg } from './types.js';
import { columnMeans } from '../util/vector.js';

/** Centred Gram matrix and the statistics it came from. */
export interface CentredGram {
  /** d×d row-major Float64Array: (X − 1·μᵀ)ᵀ(X − 1·μᵀ) (not divided by n). */
  gram: Float64Array;
  /** d column means (float64). */
  mean: Float64Array;
  /** Rows accumulated. */
  n: number;
  /** Columns. */
  d: number;
}

/** Options of {@link gramInBlocks} and {@link centredGram}. */
export interface GramBlockOptions {
  /** Subtract column means (default true). Without it `gram` is the raw XᵀX and `mean` still the column means. */
  centre?: boolean;
  /**
   * Per-column shift subtracted before the product (float64, length d). Default: the first
   * block's column means. The closer to the true mean, the less cancellation in the final
   * correction G − n·(μ − s)(μ − s)ᵀ.
   */
  shift?: Float64Array;
  /** Called after each block with rows done so far (for progress reporting). */
  onBlock?: (rowsDone: number) => void;
}

/** Rows per block for {@link centredGram}: about 8M values, so the shifted float32 copy stays small. */
function defaultBlockRows(d: number): number {
  return Math.max(1, Math.floor((8 * 1024 * 1024) / d));
}


/**
 * out = src − s row by row and acc += Σ rows of (src − s), in float64. Kept as small plain
 * functions (no branch in the inner loop, nothing captured across `await`) so V8 optimises them:
 * the branchy version measured ~8× slower.
 */
function shiftRows(src: Float32Array, rows: number, d: number, s: Float64Array, out: Float32Array, acc: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) {
      const v = src[o + j] - s[j];
      out[o + j] = v;
      acc[j] += v;
    }
  }
}

/** acc += Σ rows of src (float64). */
function sumRows(src: Float32Array, rows: number, d: number, acc: Float64Array): void {
  for (let r = 0; r < rows; r++) {
    const o = r * d;
    for (let j = 0; j < d; j++) acc[j] += src[o + j];
  }
}

/**
 * g ← g − scale·v·vᵀ for a d×d row-major g (the offset a shift or the raw moments leave:
 * Σ(x − s)(x − s)ᵀ = C + n·δδᵀ). Rows with v[i] = 0 are untouched.
 */
export function subtractScaledOuter(g: Float64Array, d: number, scale: number, v: ArrayLike<number>): void {
  for (let i = 0; i < d; i++) {
    const si = scale * v[i];
    if (si === 0) continue;
    for (let j = 0; j < d; j++) g[i * d + j] -= si * v[j];
  }
}

function addInto(acc: Float64Array, g: Float64Array): void {
  for (let i = 0; i < g.length; i++) acc[i] += g[i];
}

/**
 * Accumulates the (centred) Gram of a matrix that arrives in row blocks, e.g. streamed from a
 * feature cache too large for memory. Each block is shifted by `s` into a float32 copy
 * (so float32 products act on nearly centred values), multiplied with `linalg.gram`, and summed
 * in float64; at the end G − n·(μ−s)(μ−s)ᵀ removes the remaining offset.
 * @param blocks row blocks `{data: rows×d Float32Array row-major, n: rows, d}`; all with the same d.
 * @returns d×d Gram (centred unless `centre: false`), column means, n, d.
 * @throws RangeError when blocks disagree on d or no block arrives.
 */
export async function gramInBlocks(linalg: Linalg, blocks: AsyncIterable<FeatureBlock> | Iterable<FeatureBlock>, opts: GramBlockOptions = {}): Promise<CentredGram> {
  const centre = opts.centre ?? true;
  let d = -1;
  let shift: Float64Array | undefined = opts.shift;
  let gram: Float64Array | undefined;
  let sums: Float64Array | undefined; // Σ (x − s), float64
  let n = 0;
  let index = 0;
  for await (const block of blocks) {
    checkFeatureBlock(block, `gramInBlocks: block ${index}`);
    if (d < 0) {
      d = block.d;
      gram = new Float64Array(d * d);
      sums = new Float64Array(d);
      if (!shift) shift = centre ? columnMeans({ data: block.data, n: block.n, d }) : new Float64Array(d);
      if (shift.length !== d) throw new RangeError(`gramInBlocks: shift has ${shift.length} values, expected d = ${d}`);
    } else if (block.d !== d) {
      throw new RangeError(`gramInBlocks: block ${index} has d = ${block.d}, expected ${d} like block 0`);
    }
    index++;
    if (block.n === 0) continue;
    const s = shift!;
    let x = block.data;
    if (centre) {
      x = new Float32Array(block.data.length);
      shiftRows(block.data, block.n, d, shift!, x, sums!);
    } else {
      sumRows(block.data, block.n, d, sums!); // shift is zero without centring
    }
    addInto(gram!, await linalg.gram(x, block.n, d));
    n += block.n;
    opts.onBlock?.(n);
  }
  if (d < 0) throw new RangeError('gramInBlocks: no blocks');
  const mean = new Float64Array(d);
  const delta = new Float64Array(d); // μ − s
  for (let j = 0; j < d; j++) {
    delta[j] = n > 0 ? sums![j] / n : 0;
    mean[j] = shift![j] + delta[j];
  }
  const out = gram!;
  if (centre && n > 0) subtractScaledOuter(out, d, n, delta);
  return { gram: out, mean, n, d };
}

/**
 * (X − 1·μᵀ)ᵀ(X − 1·μᵀ) on a backend that shifts inside its product (`Linalg.gramShifted`):
 * rows are shifted by μ rounded to float32 and the offset δ = μ − fl32(μ) that rounding leaves is
 * removed in float64 (Σ(x − s)(x − s)ᵀ = C + n·δδᵀ).
 * @param data n×d row-major Float32Array; `mean` its d column means (float64).
 * @returns the d×d centred Gram, or undefined when the backend has no `gramShifted`.
 */
export async function centredGramInBackend(linalg: Linalg, data: Float32Array, n: number, d: number, mean: Float64Array): Promise<Float64Array | undefined> {
  if (!linalg.gramShifted) return undefined;
  const shift = Float32Array.from(mean);
  const gram = await linalg.gramShifted(data, n, d, shift);
  subtractScaledOuter(gram, d, n, mean.map((m, j) => m - shift[j]));
  return gram;
}

/**
 * Gram of the column-centred features: (X − 1·μᵀ)ᵀ(X − 1·μᵀ), float64, without ever
 * forming a full centred copy. With a backend that offers `gramShifted` (onnxruntime) the rows are
 * shifted by the float32-rounded means inside its product and the rounding offset is removed in
 * float64 afterwards; otherwise blocks of ~8M values are shifted by the float64 means in
 * TypeScript (measured at 45,000×2048: 3.4 s in blocks, ≈ the plain Gram's 1.6 s shifted inside).
 * @param x n×d feature block (row-major Float32Array).
 * @param opts.blockRows rows per block (default ~8M values per block); given, the blocks are
 *   shifted in TypeScript even when the backend could shift.
 * @returns gram d×d Float64Array (not divided by n) and mean (length d).
 */
export async function centredGram(linalg: Linalg, x: FeatureBlock, opts: { blockRows?: number; onBlock?: (rowsDone: number) => void } = {}): Promise<{ gram: Float64Array; mean: Float64Array }> {
  checkFeatureBlock(x, 'centredGram: x');
  const { n, d, data } = x;
  const mean = columnMeans({ data, n, d });
  if (opts.blockRows === undefined && n > 0) {
    const gram = await centredGramInBackend(linalg, data, n, d, mean);
    if (gram) {
      opts.onBlock?.(n);
      return { gram, mean };
    }
  }
  const step = Math.max(1, opts.blockRows ?? defaultBlockRows(d));
  function* blocks(): Generator<FeatureBlock> {
    for (let r0 = 0; r0 < n; r0 += step) {
      const rows = Math.min(step, n - r0);
      yield { data: data.subarray(r0 * d, (r0 + rows) * d), n: rows, d };
    }
  }
  if (n === 0) return { gram: new Float64Array(d * d), mean };
  const res = await gramInBlocks(linalg, blocks(), { shift: mean, onBlock: opts.onBlock });
  return { gram: res.gram, mean: res.mean };
}
