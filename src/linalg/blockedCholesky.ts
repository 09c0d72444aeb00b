/**
 * Blocked float64 Cholesky factorisation and triangular solves whose bulk (all but the
 * nb×nb diagonal blocks) runs on {@link gemm64}, i.e. on the backend's native double GEMM.
 * Left-looking: block column j is updated by one product L[j:, :j]·L[j:j+nb, :j]ᵀ, its
 * diagonal block factored in TypeScript, and the panel below solved as A₂₁·L₁₁⁻ᵀ with the
 * explicitly inverted nb×nb factor (a product again). Same results as {@link choleskyFactor}
 * to rounding (tests compare both with numpy).
 */
import type { Linalg } from './types.js';
import { choleskyFactor, solveLowerInPlace, solveLowerTransposedInPlace } from './cholesky.js';
import { copyBlock, gemm64 } from './dense64.js';

/** Options of the blocked kernels. */
export interface BlockedOptions {
  /** Backend whose `matmul64` runs the products (absent: TypeScript kernel). */
  linalg?: Linalg;
  /** Block size (default 128). */
  block?: number;
}

/** Up to this many blocks' worth of rows the unblocked kernels win (call overhead and copies dominate). */
const UNBLOCKED_BLOCKS = 1.5;
const DEFAULT_BLOCK = 128;

function checkSquare(a: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: bad size n=${n}`);
  if (a.length !== n * n) throw new RangeError(`${what}: has ${a.length} values, expected n×n = ${n}×${n} = ${n * n}`);
}

function blockSize(opts: BlockedOptions): number {
  const nb = opts.block ?? DEFAULT_BLOCK;
  if (!Number.isInteger(nb) || nb < 1) throw new RangeError(`blocked linalg: block must be a positive integer, got ${nb}`);
  return nb;
}

/** Inverse of a k×k lower-triangular matrix (row-major, contiguous) → k×k lower-triangular. */
export function invertLower(l: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let i = 0; i < k; i++) inv[i * k + i] = 1;
  return solveLowerInPlace(l, k, inv, k);
}

/**
 * {@link invertLower}, blocked: L⁻¹ by the blocked forward solve L·X = I (its products on
 * {@link gemm64}), with the rounding-level values the solve leaves above the diagonal zeroed.
 */
export async function invertLowerBlocked(l: Float64Array, k: number, opts: BlockedOptions = {}): Promise<Float64Array> {
  checkSquare(l, k, 'invertLowerBlocked: L');
  const identity = new Float64Array(k * k);
  for (let i = 0; i < k; i++) identity[i * k + i] = 1;
  const inv = await solveLowerBlocked(l, k, identity, k, opts);
  for (let i = 0; i < k; i++) inv.fill(0, i * k + i + 1, i * k + k);
  return inv;
}

/**
 * Cholesky factor A = L·Lᵀ of a symmetric positive-definite matrix, blocked.
 * @param a n×n row-major Float64Array, lower triangle read, not modified.
 * @returns L n×n row-major lower-triangular Float64Array (upper triangle zero).
 * @throws RangeError naming the first non-positive pivot (as {@link choleskyFactor}).
 */
export async function choleskyFactorBlocked(a: Float64Array, n: number, opts: BlockedOptions = {}): Promise<Float64Array> {
  checkSquare(a, n, 'choleskyFactorBlocked: A');
  const nb = blockSize(opts);
  if (n <= UNBLOCKED_BLOCKS * nb) return choleskyFactor(a, n);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) l.set(a.subarray(i * n, i * n + i + 1), i * n);
  for (let j0 = 0; j0 < n; j0 += nb) {
    const jb = Math.min(nb, n - j0);
    const rows = n - j0;
    if (j0 > 0) {
      // Rows j0.. of the factor so far; its first jb rows are the block row being finished.
      const left = copyBlock(l, n, j0, n, 0, j0);
      const upd = await gemm64(opts.linalg, left, left.subarray(0, jb * j0), rows, j0, jb, { transposeB: true });
      for (let r = 0; r < rows; r++) {
        const o = (j0 + r) * n + j0;
        const uo = r * jb;
        const lim = Math.min(jb, r + 1);
        for (let c = 0; c < lim; c++) l[o + c] -= upd[uo + c];
      }
    }
    const diag = copyBlock(l, n, j0, j0 + jb, j0, j0 + jb);
    let l11: Float64Array;
    try {
      l11 = choleskyFactor(diag, jb);
    } catch (err: any) {
      throw new RangeError(String(err.message).replace(/pivot (\d+) \(of \d+\)/, (_, p) => `pivot ${j0 + Number(p)} (of ${n})`).replace(/^choleskyFactor/, 'choleskyFactorBlocked'));
    }
    for (let r = 0; r < jb; r++) l.set(l11.subarray(r * jb, r * jb + jb), (j0 + r) * n + j0);
    if (rows > jb) {
      const below = copyBlock(l, n, j0 + jb, n, j0, j0 + jb);
      const panel = await gemm64(opts.linalg, below, invertLower(l11, jb), rows - jb, jb, jb, { transposeB: true });
      for (let r = 0; r < rows - jb; r++) l.set(panel.subarray(r * jb, r * jb + jb), (j0 + jb + r) * n + j0);
    }
  }
  return l;
}

function checkRhs(l: Float64Array, n: number, b: ArrayLike<number>, m: number, what: string): void {
  checkSquare(l, n, `${what}: L`);
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`${what}: bad column count m=${m}`);
  if (b.length !== n * m) throw new RangeError(`${what}: B has ${b.length} values, expected n×m = ${n}×${m} = ${n * m}`);
}

/**
 * Solves L·X = B (forward substitution, blocked). L n×n lower-triangular, B n×m row-major.
 * @returns X n×m Float64Array (B not modified).
 */
export async function solveLowerBlocked(l: Float64Array, n: number, b: ArrayLike<number>, m: number, opts: BlockedOptions = {}): Promise<Float64Array> {
  checkRhs(l, n, b, m, 'solveLowerBlocked');
  const x = Float64Array.from(b);
  const nb = blockSize(opts);
  if (n <= UNBLOCKED_BLOCKS * nb || m === 0) return solveLowerInPlace(l, n, x, m);
  for (let i0 = 0; i0 < n; i0 += nb) {
    const ib = Math.min(nb, n - i0);
    const rhs = x.subarray(i0 * m, (i0 + ib) * m);
    if (i0 > 0) {
      const upd = await gemm64(opts.linalg, copyBlock(l, n, i0, i0 + ib, 0, i0), x.subarray(0, i0 * m), ib, i0, m);
      for (let t = 0; t < rhs.length; t++) rhs[t] -= upd[t];
    }
    solveLowerInPlace(copyBlock(l, n, i0, i0 + ib, i0, i0 + ib), ib, rhs, m);
  }
  return x;
}

/**
 * Solves Lᵀ·X = B (back substitution, blocked). L n×n lower-triangular, B n×m row-major.
 * @returns X n×m Float64Array (B not modified).
 */
export async function solveLowerTransposedBlocked(l: Float64Array, n: number, b: ArrayLike<number>, m: number, opts: BlockedOptions = {}): Promise<Float64Array> {
  checkRhs(l, n, b, m, 'solveLowerTransposedBlocked');
  const x = Float64Array.from(b);
  const nb = blockSize(opts);
  if (n <= UNBLOCKED_BLOCKS * nb || m === 0) return solveLowerTransposedInPlace(l, n, x, m);
  const last = Math.floor((n - 1) / nb) * nb;
  for (let i0 = last; i0 >= 0; i0 -= nb) {
    const i1 = Math.min(n, i0 + nb);
    const ib = i1 - i0;
    const rhs = x.subarray(i0 * m, i1 * m);
    if (i1 < n) {
      // Lᵀ[i0:i1, i1:] = (L[i1:, i0:i1])ᵀ.
      const upd = await gemm64(opts.linalg, copyBlock(l, n, i1, n, i0, i1), x.subarray(i1 * m), ib, n - i1, m, { transposeA: true });
      for (let t = 0; t < rhs.length; t++) rhs[t] -= upd[t];
    }
    solveLowerTransposedInPlace(copyBlock(l, n, i0, i1, i0, i1), ib, rhs, m);
  }
  return x;
}

/**
 * Solves (A + ridge·I)·X = B for symmetric positive-definite A, blocked.
 * @param a n×n row-major Float64Array (lower triangle read; not modified).
 * @param b n×m row-major right-hand sides.
 * @returns X n×m Float64Array.
 */
export async function solveSpdBlocked(a: Float64Array, n: number, b: ArrayLike<number>, m: number, ridge = 0, opts: BlockedOptions = {}): Promise<Float64Array> {
  checkSquare(a, n, 'solveSpdBlocked: A');
  if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new RangeError(`solveSpdBlocked: ridge must be a finite number ≥ 0, got ${ridge}`);
  let work = a;
  if (ridge > 0) {
    work = Float64Array.from(a);
    for (let i = 0; i < n; i++) work[i * n + i] += ridge;
  }
  const l = await choleskyFactorBlocked(work, n, opts);
  return solveLowerTransposedBlocked(l, n, await solveLowerBlocked(l, n, b, m, opts), m, opts);
}
