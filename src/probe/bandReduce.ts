/**
 * Ridge systems (A + σI)·Y = R for many shifts σ from ONE orthogonal reduction of the symmetric
 * k×k matrix A to band form, A = Q·B·Qᵀ with B of half-bandwidth b (the first stage of LAPACK's
 * two-stage dsytrd, dsy2sb): per panel of b columns a Householder QR of the block below the band,
 * then the two-sided trailing update Qᵀ·A₂₂·Q as rank-2b products on {@link gemm64}. All its
 * 4k³/3 flops are matrix products (no matrix–vector sweeps, unlike a full tridiagonalisation), and
 * afterwards each shift costs a banded Cholesky, O(k·b²): (A + σI)⁻¹·R = Q·(B + σI)⁻¹·Qᵀ·R exactly
 * (orthogonal transformations: backward stable, the same solutions as an eigendecomposition's to rounding).
 */
import type { Linalg } from '../linalg/types.js';
import { gemm64 } from '../linalg/dense64.js';
import { blockReflectorT } from '../linalg/householderQr.js';

/** One panel's reflectors: Q_p = I − V·T·Vᵀ acting on rows `offset`… of the k rows. */
interface BandPanel {
  offset: number;
  rows: number;
  /** Reflectors in the panel. */
  h: number;
  /** rows×h row-major, column i the i-th reflector (1 at row i, zeros above). */
  v: Float64Array;
  /** h×h upper triangular (compact WY). */
  t: Float64Array;
}

/** A = Q·B·Qᵀ with B banded. */
export interface BandReduction {
  k: number;
  /** Half-bandwidth of B. */
  b: number;
  /** Lower band of B, k×(b+1) row-major: band[i·(b+1) + t] = B[i][i − t]. */
  band: Float64Array;
  panels: BandPanel[];
}

/** Default half-bandwidth: wide enough for efficient products, narrow enough for cheap banded solves. */
const DEFAULT_BAND = 32;

/**
 * Reduces symmetric A (k×k row-major Float64Array, both triangles; not modified) to band form.
 * @param opts.band half-bandwidth b ≥ 1 (default 32).
 */
export async function bandReduce(a: Float64Array, k: number, opts: { linalg?: Linalg; band?: number } = {}): Promise<BandReduction> {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`bandReduce: bad size k=${k}`);
  if (a.length !== k * k) throw new RangeError(`bandReduce: A has ${a.length} values, expected ${k}×${k}`);
  const b = opts.band ?? DEFAULT_BAND;
  if (!(Number.isInteger(b) && b >= 1)) throw new RangeError(`bandReduce: band must be a positive integer, got ${b}`);
  const linalg = opts.linalg;
  const w = b + 1;
  const band = new Float64Array(k * w);
  const panels: BandPanel[] = [];
  let cur = Float64Array.from(a);
  for (let j = 0; ; j += b) {
    const s = k - j;
    const top = Math.min(b, s);
    // The diagonal block's lower triangle goes to the band.
    for (let p = 0; p < top; p++) for (let q = 0; q <= p; q++) band[(j + p) * w + (p - q)] = cur[p * s + q];
    const r = s - b;
    if (r <= 0) break;
    const h = Math.min(b, r);
    // Householder QR of the panel P = cur[b:s, 0:b] (r×b), in a contiguous copy.
    const pnl = new Float64Array(r * b);
    for (let p = 0; p < r; p++) pnl.set(cur.subarray((b + p) * s, (b + p) * s + b), p * b);
    const v = new Float64Array(r * h);
    const tau = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      const alpha = pnl[i * b + i];
      let xn = 0;
      for (let p = i + 1; p < r; p++) xn += pnl[p * b + i] ** 2;
      v[i * h + i] = 1;
      if (xn === 0) continue; // H = I (τ = 0)
      const beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + xn);
      tau[i] = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      for (let p = i + 1; p < r; p++) v[p * h + i] = pnl[p * b + i] * scale;
      pnl[i * b + i] = beta;
      for (let p = i + 1; p < r; p++) pnl[p * b + i] = 0;
      for (let c = i + 1; c < b; c++) {
        let dot = pnl[i * b + c];
        for (let p = i + 1; p < r; p++) dot += v[p * h + i] * pnl[p * b + c];
        dot *= tau[i];
        pnl[i * b + c] -= dot;
        for (let p = i + 1; p < r; p++) pnl[p * b + c] -= dot * v[p * h + i];
      }
    }
    // R (upper trapezoidal, h×b) sits below the diagonal block: B[j+b+p][j+q] = R[p][q], p ≤ q.
    for (let p = 0; p < h; p++) for (let q = p; q < b; q++) band[(j + b + p) * w + (b + p - q)] = pnl[p * b + q];
    // T of the compact WY form Q = H₀·…·H_{h−1} = I − V·T·Vᵀ.
    const vtv = await gemm64(linalg, v, v, h, r, h, { transposeA: true });
    const t = blockReflectorT(vtv, tau, h);
    panels.push({ offset: j + b, rows: r, h, v, t });
    // Trailing update A₂₂ ← Qᵀ·A₂₂·Q = A₂₂ − V·Wᵀ − W·Vᵀ with X = A₂₂·V·T, W = X − ½·V·(Tᵀ·Vᵀ·X).
    const a22 = new Float64Array(r * r);
    for (let p = 0; p < r; p++) a22.set(cur.subarray((b + p) * s + b, (b + p + 1) * s), p * r);
    const x = await gemm64(linalg, await gemm64(linalg, a22, v, r, r, h), t, r, h, h);
    const vtx = await gemm64(linalg, v, x, h, r, h, { transposeA: true });
    const m = await gemm64(linalg, t, vtx, h, h, h, { transposeA: true });
    const vm = await gemm64(linalg, v, m, r, h, h);
    for (let i = 0; i < x.length; i++) x[i] -= 0.5 * vm[i];
    // V·Wᵀ + W·Vᵀ = [V W]·[W V]ᵀ: one product, then a contiguous subtraction.
    const vw = new Float64Array(r * 2 * h);
    const wv = new Float64Array(r * 2 * h);
    for (let p = 0; p < r; p++) {
      vw.set(v.subarray(p * h, p * h + h), p * 2 * h);
      vw.set(x.subarray(p * h, p * h + h), p * 2 * h + h);
      wv.set(x.subarray(p * h, p * h + h), p * 2 * h);
      wv.set(v.subarray(p * h, p * h + h), p * 2 * h + h);
    }
    const upd = await gemm64(linalg, vw, wv, r, 2 * h, r, { transposeB: true });
    for (let i = 0; i < a22.length; i++) a22[i] -= upd[i];
    cur = a22;
  }
  return { k, b, band, panels };
}

/**
 * Z ← Qᵀ·Z (`transpose`) or Z ← Q·Z for the Q of a {@link BandReduction}; Z is k×cols row-major, overwritten.
 */
export async function applyBandQ(red: BandReduction, z: Float64Array, cols: number, transpose: boolean, linalg?: Linalg): Promise<void> {
  if (z.length !== red.k * cols) throw new RangeError(`applyBandQ: Z has ${z.length} values, expected ${red.k}×${cols}`);
  const order = transpose ? red.panels : [...red.panels].reverse();
  for (const p of order) {
    const sub = z.subarray(p.offset * cols);
    const g = await gemm64(linalg, p.v, sub, p.h, p.rows, cols, { transposeA: true });
    const tg = await gemm64(linalg, p.t, g, p.h, p.h, cols, { transposeA: transpose });
    const upd = await gemm64(linalg, p.v, tg, p.rows, p.h, cols);
    for (let i = 0; i < sub.length; i++) sub[i] -= upd[i];
  }
}

/**
 * Y = (B + σI)⁻¹·R for the band B of a reduction by banded Cholesky (R k×cols row-major, in the
 * reduced coordinates, i.e. Qᵀ·rhs). Returns undefined when B + σI is not numerically positive
 * definite (then callers fall back to an eigendecomposition, which clips negative eigenvalues).
 */
export function solveShiftedBand(red: BandReduction, rhs: Float64Array, cols: number, sigma: number): Float64Array | undefined {
  const { k, b, band } = red;
  if (rhs.length !== k * cols) throw new RangeError(`solveShiftedBand: R has ${rhs.length} values, expected ${k}×${cols}`);
  const w = b + 1;
  const l = Float64Array.from(band);
  for (let i = 0; i < k; i++) l[i * w] += sigma;
  // l[i·w + t] = L[i][i − t].
  for (let i = 0; i < k; i++) {
    const j0 = Math.max(0, i - b);
    for (let j = j0; j <= i; j++) {
      let acc = l[i * w + (i - j)];
      for (let q = Math.max(j0, j - b); q < j; q++) acc -= l[i * w + (i - q)] * l[j * w + (j - q)];
      if (j < i) {
        l[i * w + (i - j)] = acc / l[j * w];
      } else {
        if (!(acc > 0)) return undefined;
        l[i * w] = Math.sqrt(acc);
      }
    }
  }
  const y = Float64Array.from(rhs);
  for (let i = 0; i < k; i++) {
    for (let q = Math.max(0, i - b); q < i; q++) {
      const lv = l[i * w + (i - q)];
      for (let c = 0; c < cols; c++) y[i * cols + c] -= lv * y[q * cols + c];
    }
    const d = l[i * w];
    for (let c = 0; c < cols; c++) y[i * cols + c] /= d;
  }
  for (let i = k - 1; i >= 0; i--) {
    const d = l[i * w];
    for (let c = 0; c < cols; c++) y[i * cols + c] /= d;
    for (let q = Math.max(0, i - b); q < i; q++) {
      const lv = l[i * w + (i - q)];
      for (let c = 0; c < cols; c++) y[q * cols + c] -= lv * y[i * cols + c];
    }
  }
  return y;
}
