/**
 * Float64 matrix product for the blocked dense kernels (Cholesky, triangular solves, eigen):
 * the backend's native `matmul64` when it has one and the product is big enough to pay for the
 * call, else a register-blocked TypeScript kernel. All matrices row-major Float64Array.
 */
import { checkAccumulate, type Gemm64Options, type Linalg } from './types.js';

/** Below this many flops the TypeScript kernel wins over a native call (≈ 0.1 ms overhead). */
const NATIVE_MIN_FLOPS = 2 * 64 * 64 * 64;

function checkOperand(x: Float64Array, rows: number, cols: number, what: string): void {
  if (x.length < rows * cols) throw new RangeError(`gemm64: ${what} has ${x.length} values, expected ${rows}×${cols} = ${rows * cols}`);
}

/**
 * op(A)·op(B) → m×n Float64Array; op(A) is m×k (A stored k×m if `transposeA`), op(B) is k×n
 * (B stored n×k if `transposeB`); with `accumulate` (m×n) the product is added into it and it is
 * returned. Uses `linalg.matmul64` when present and m·k·n is large.
 */
export async function gemm64(linalg: Linalg | undefined, a: Float64Array, b: Float64Array, m: number, k: number, n: number, opts: Gemm64Options = {}): Promise<Float64Array> {
  checkOperand(a, m, k, 'A');
  checkOperand(b, k, n, 'B');
  checkAccumulate(opts.accumulate, a, b, m, n, 'gemm64');
  if (m === 0 || n === 0 || k === 0) return opts.accumulate ?? new Float64Array(m * n);
  if (linalg?.matmul64 && 2 * m * k * n >= NATIVE_MIN_FLOPS) return linalg.matmul64(a, b, m, k, n, opts);
  return gemm64Sync(a, b, m, k, n, opts);
}

/** Synchronous TypeScript op(A)·op(B), or C + op(A)·op(B) into `opts.accumulate` (same contract as {@link gemm64}). */
export function gemm64Sync(a: Float64Array, b: Float64Array, m: number, k: number, n: number, opts: Gemm64Options = {}): Float64Array {
  checkAccumulate(opts.accumulate, a, b, m, n, 'gemm64Sync');
  // Bring B to k×n row-major and A to m×k so the inner loop streams rows of B.
  const aa = opts.transposeA ? transpose64(a, k, m) : a;
  const bb = opts.transposeB ? transpose64(b, n, k) : b;
  const out = opts.accumulate ?? new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const ao = i * k;
    const oo = i * n;
    let t = 0;
    for (; t + 3 < k; t += 4) {
      const x0 = aa[ao + t], x1 = aa[ao + t + 1], x2 = aa[ao + t + 2], x3 = aa[ao + t + 3];
      const b0 = t * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) out[oo + j] += x0 * bb[b0 + j] + x1 * bb[b1 + j] + x2 * bb[b2 + j] + x3 * bb[b3 + j];
    }
    for (; t < k; t++) {
      const x0 = aa[ao + t];
      const b0 = t * n;
      for (let j = 0; j < n; j++) out[oo + j] += x0 * bb[b0 + j];
    }
  }
  return out;
}

/** Transpose of a rows×cols row-major matrix (cols×rows), in 32×32 tiles. */
export function transpose64(x: Float64Array, rows: number, cols: number): Float64Array {
  const out = new Float64Array(rows * cols);
  for (let i0 = 0; i0 < rows; i0 += 32) {
    const i1 = Math.min(rows, i0 + 32);
    for (let j0 = 0; j0 < cols; j0 += 32) {
      const j1 = Math.min(cols, j0 + 32);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = x[i * cols + j];
    }
  }
  return out;
}

/** Copies rows [r0, r1) × columns [c0, c1) of a row-major matrix with row length `stride` into a contiguous block. */
export function copyBlock(x: Float64Array, stride: number, r0: number, r1: number, c0: number, c1: number): Float64Array {
  const w = c1 - c0;
  const out = new Float64Array((r1 - r0) * w);
  for (let r = r0; r < r1; r++) out.set(x.subarray(r * stride + c0, r * stride + c1), (r - r0) * w);
  return out;
}
