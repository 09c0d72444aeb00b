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
import { copyBlock, gemm64 } from '../linalg/dense64.js';
import { blockReflectorT } from '../linalg/householderQr.js';

/** The reflectors of one group of panels: Q_g = I − V·T·Vᵀ acting on rows `offset`… of the k rows. */
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

/** Columns per group of panels whose trailing updates are gathered into one product (rank 2·GROUP_RANK). */
const GROUP_RANK = 128;

/**
 * Reduces symmetric A (k×k row-major Float64Array, both triangles; not modified) to band form.
 *
 * The trailing updates of ⌈{@link GROUP_RANK}/b⌉ consecutive panels are gathered (as LAPACK's dlatrd does
 * for dsytrd): each panel reads the matrix as it stands plus the pending rank-2K correction
 * −VA·WAᵀ − WA·VAᵀ, and the r×r trailing matrix is rewritten once per group. The products have
 * the same flops either way; the r×r passes over memory, which dominated at k = 2048, are that many
 * times fewer.
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
  const group = Math.max(1, Math.round(GROUP_RANK / b));
  const kmax = group * b;
  // The matrix at the start of a group lives contiguously (S×S, stride S) at the start of one of
  // two buffers; the group's update writes the next one into the other (no per-panel allocation).
  let cur = a.slice();
  let spare = new Float64Array(0); // allocated by the first group update (the largest trailing matrix)
  for (let j0 = 0; ;) {
    const S = k - j0;
    // Pending correction of this group: rows 0…S of VA and WA (stride kmax); K columns filled so far.
    const va = new Float64Array(S * kmax);
    const wa = new Float64Array(S * kmax);
    let K = 0;
    // Row ranges of VA and WA as they are stored (all kmax columns, those past K still zero, which
    // add exact zeros): contiguous views, no copies.
    const rowsOf = (x: Float64Array, row0: number, rows: number): Float64Array => x.subarray(row0 * kmax, (row0 + rows) * kmax);
    // −(VA[rows]·WA[cols]ᵀ + WA[rows]·VA[cols]ᵀ), rows×cols, for the block at (row0, col0).
    const pending = async (row0: number, rows: number, col0: number, cols: number): Promise<Float64Array> => {
      const one = await gemm64(linalg, rowsOf(va, row0, rows), rowsOf(wa, col0, cols), rows, kmax, cols, { transposeB: true });
      const two = await gemm64(linalg, rowsOf(wa, row0, rows), rowsOf(va, col0, cols), rows, kmax, cols, { transposeB: true });
      for (let i = 0; i < one.length; i++) one[i] += two[i];
      return one;
    };
    const groupTau: number[] = [];
    let next = 0; // local offset of the trailing matrix after the group's last panel; 0 = done
    for (let g = 0; g < group; g++) {
      const o = g * b;
      const s = S - o;
      const top = Math.min(b, s);
      // The diagonal block's lower triangle goes to the band.
      const diag = copyBlock(cur, S, o, o + top, o, o + top);
      if (K > 0) { const c = await pending(o, top, o, top); for (let i = 0; i < diag.length; i++) diag[i] -= c[i]; }
      for (let p = 0; p < top; p++) for (let q = 0; q <= p; q++) band[(j0 + o + p) * w + (p - q)] = diag[p * top + q];
      const r = s - b;
      if (r <= 0) { next = 0; break; }
      const h = Math.min(b, r);
      // Householder QR of the panel P = A[o+b:S, o:o+b] (r×b), stored by columns (b×r) so every
      // reflector and column update streams contiguous memory; the reflectors likewise (h×r).
      const pnl = new Float64Array(b * r);
      for (let p = 0; p < r; p++) {
        const row = (o + b + p) * S + o;
        for (let c = 0; c < b; c++) pnl[c * r + p] = cur[row + c];
      }
      if (K > 0) {
        const c = await pending(o + b, r, o, b);
        for (let p = 0; p < r; p++) for (let q = 0; q < b; q++) pnl[q * r + p] -= c[p * b + q];
      }
      const vt = new Float64Array(h * r);
      const tau = new Float64Array(h);
      for (let i = 0; i < h; i++) {
        const col = i * r;
        const alpha = pnl[col + i];
        let xn = 0;
        for (let p = i + 1; p < r; p++) xn += pnl[col + p] ** 2;
        vt[col + i] = 1;
        if (xn === 0) continue; // H = I (τ = 0)
        const beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + xn);
        tau[i] = (beta - alpha) / beta;
        const scale = 1 / (alpha - beta);
        for (let p = i + 1; p < r; p++) vt[col + p] = pnl[col + p] * scale;
        pnl[col + i] = beta;
        for (let p = i + 1; p < r; p++) pnl[col + p] = 0;
        for (let c = i + 1; c < b; c++) {
          const cc = c * r;
          let dot = pnl[cc + i];
          for (let p = i + 1; p < r; p++) dot += vt[col + p] * pnl[cc + p];
          dot *= tau[i];
          pnl[cc + i] -= dot;
          for (let p = i + 1; p < r; p++) pnl[cc + p] -= dot * vt[col + p];
        }
      }
      // R (upper trapezoidal, h×b) sits below the diagonal block: B[j+b+p][j+q] = R[p][q], p ≤ q.
      for (let p = 0; p < h; p++) for (let q = p; q < b; q++) band[(j0 + o + b + p) * w + (b + p - q)] = pnl[q * r + p];
      const v = new Float64Array(r * h);
      for (let i = 0; i < h; i++) for (let p = 0; p < r; p++) v[p * h + i] = vt[i * r + p];
      // T of the compact WY form Q = H₀·…·H_{h−1} = I − V·T·Vᵀ.
      const vtv = await gemm64(linalg, vt, vt, h, r, h, { transposeB: true });
      const t = blockReflectorT(vtv, tau, h);
      groupTau.push(...tau);
      // Trailing update A₂₂ ← Qᵀ·A₂₂·Q = A₂₂ − V·Wᵀ − W·Vᵀ with X = A₂₂·V·T, W = X − ½·V·(Tᵀ·Vᵀ·X).
      // A₂₂·V: rows o+b… of the stored matrix times V padded with o+b zero rows, minus the pending part.
      const vPadded = new Float64Array(S * h);
      vPadded.set(v, (o + b) * h);
      const a22v = await gemm64(linalg, cur.subarray((o + b) * S, S * S), vPadded, r, S, h);
      if (K > 0) {
        const vr = rowsOf(va, o + b, r);
        const wr = rowsOf(wa, o + b, r);
        const wtv = await gemm64(linalg, wr, v, kmax, r, h, { transposeA: true });
        const vtvK = await gemm64(linalg, vr, v, kmax, r, h, { transposeA: true });
        const one = await gemm64(linalg, vr, wtv, r, kmax, h);
        const two = await gemm64(linalg, wr, vtvK, r, kmax, h);
        for (let i = 0; i < a22v.length; i++) a22v[i] -= one[i] + two[i];
      }
      const x = await gemm64(linalg, a22v, t, r, h, h);
      const vtx = await gemm64(linalg, vt, x, h, r, h);
      const m = await gemm64(linalg, t, vtx, h, h, h, { transposeA: true });
      const vm = await gemm64(linalg, v, m, r, h, h);
      for (let i = 0; i < x.length; i++) x[i] -= 0.5 * vm[i];
      for (let p = 0; p < r; p++) {
        const at = (o + b + p) * kmax + K;
        for (let i = 0; i < h; i++) { va[at + i] = v[p * h + i]; wa[at + i] = x[p * h + i]; }
      }
      K += h;
      next = o + b;
    }
    // The group's reflectors as one panel (rows b… of the group, K reflectors in order): applying Q
    // later then costs one set of products per group, not per panel.
    if (K > 0) {
      const vg = copyBlock(va, kmax, b, S, 0, K);
      const tg = blockReflectorT(await gemm64(linalg, vg, vg, K, S - b, K, { transposeA: true }), Float64Array.from(groupTau), K);
      panels.push({ offset: j0 + b, rows: S - b, h: K, v: vg, t: tg });
    }
    if (next === 0) break;
    // The group's update on the trailing matrix at (next, next): [VA WA]·[WA VA]ᵀ in one product,
    // subtracted while compacting to stride r in the spare buffer.
    const r = S - next;
    const vw = new Float64Array(r * 2 * K);
    const wv = new Float64Array(r * 2 * K);
    for (let p = 0; p < r; p++) {
      const vRow = va.subarray((next + p) * kmax, (next + p) * kmax + K);
      const wRow = wa.subarray((next + p) * kmax, (next + p) * kmax + K);
      vw.set(vRow, p * 2 * K); vw.set(wRow, p * 2 * K + K);
      wv.set(wRow, p * 2 * K); wv.set(vRow, p * 2 * K + K);
    }
    const upd = await gemm64(linalg, vw, wv, r, 2 * K, r, { transposeB: true });
    if (spare.length < r * r) spare = new Float64Array(r * r); // first group only: later r are smaller
    for (let p = 0; p < r; p++) {
      const from = (next + p) * S + next;
      const to = p * r;
      for (let q = 0; q < r; q++) spare[to + q] = cur[from + q] - upd[to + q];
    }
    const done = cur;
    cur = spare;
    spare = done;
    j0 += next;
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
  const l = band.slice();
  for (let i = 0; i < k; i++) l[i * w] += sigma;
  // l[i·w + t] = L[i][i − t].
  for (let i = 0; i < k; i++) {
    const j0 = Math.max(0, i - b);
    for (let j = j0; j <= i; j++) {
      // L[i][q]·L[j][q] over q = q0…j−1 is two reversed contiguous runs; two partial sums halve the
      // add-latency chain of this, the solve's innermost loop.
      const q0 = Math.max(j0, j - b);
      const ri = i * w + i, rj = j * w + j;
      let acc = l[ri - j], acc2 = 0;
      let q = q0;
      for (; q + 1 < j; q += 2) {
        acc -= l[ri - q] * l[rj - q];
        acc2 -= l[ri - q - 1] * l[rj - q - 1];
      }
      if (q < j) acc -= l[ri - q] * l[rj - q];
      acc += acc2;
      if (j < i) {
        l[i * w + (i - j)] = acc / l[j * w];
      } else {
        if (!(acc > 0)) return undefined;
        l[i * w] = Math.sqrt(acc);
      }
    }
  }
  const y = rhs.slice();
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
