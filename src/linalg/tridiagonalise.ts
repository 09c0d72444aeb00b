/**
 * Blocked Householder reduction of a symmetric matrix to tridiagonal form (LAPACK dsytrd/dlatrd,
 * lower): per panel of nb columns the reflectors are built with one symmetric matrix–vector
 * product each (TypeScript, reading the lower triangle once), and the trailing matrix's lower
 * triangle gets one rank-2nb update A ← A − V·Wᵀ − W·Vᵀ on {@link gemm64} (SYR2K's half). The
 * reflectors are kept per panel for the blocked (compact WY) back-transformation {@link applyReflectors}.
 */
import type { Linalg } from './types.js';
import { symvLowerRows } from './symv.js';
import { copyBlock, gemm64 } from './dense64.js';
import { blockReflectorT } from './householderQr.js';
import { createSymvPool, type SymvPool } from './symvPool.js';
import { createSymvArena, wasmSymvRows } from './symvWasm.js';
import { availableParallelism } from 'node:os';

/** One panel's reflectors Hᵢ = I − τᵢ·uᵢ·uᵢᵀ, uᵢ with zeros above row p0 + i + 1 and 1 there. */
export interface ReflectorPanel {
  /** First column reduced by the panel. */
  p0: number;
  /** Reflectors in the panel. */
  count: number;
  /** (n − p0 − 1)×count row-major: row r is global row p0 + 1 + r; column i is uᵢ. */
  v: Float64Array;
  /** τᵢ, length count. */
  tau: Float64Array;
}

/** Tridiagonal form T = Qᵀ·A·Q with Q = H₀·H₁·…·H_{n−2}. */
export interface Tridiagonal {
  /** Diagonal of T, length n. */
  d: Float64Array;
  /** Off-diagonal of T, length n (e[i] couples rows i and i + 1; e[n − 1] = 0). */
  e: Float64Array;
  /** The reflectors, in order. */
  panels: ReflectorPanel[];
}

const DEFAULT_PANEL = 32;
/** Trailing sizes from which the symmetric matrix–vector product is split across threads. */
const SYMV_THREADS_MIN = 384;
/** Sizes from which the symmetric product runs on the WebAssembly SIMD kernel. */
const SYMV_SIMD_MIN = 64;

/**
 * Reduces symmetric A to tridiagonal form.
 * @param a n×n row-major Float64Array; only the lower triangle is read; not modified.
 * @param opts.block panel width (default 32).
 * @param opts.threads threads sharing each symmetric matrix–vector product (default: available
 *   cores; worker threads over shared memory, used from trailing size {@link SYMV_THREADS_MIN}).
 * @param opts.simd false: the TypeScript symmetric product even where WebAssembly SIMD runs (default true).
 * @param opts.awaitWorkers true: start only once the worker threads are up (default false: the
 *   first columns run on the calling thread while they start; tests use true to reach the workers at small n).
 */
export async function tridiagonalise(a: Float64Array, n: number, opts: { linalg?: Linalg; block?: number; threads?: number; simd?: boolean; awaitWorkers?: boolean } = {}): Promise<Tridiagonal> {
  if (a.length !== n * n) throw new RangeError(`tridiagonalise: A has ${a.length} values, expected ${n}×${n}`);
  const nb = opts.block ?? DEFAULT_PANEL;
  if (!Number.isInteger(nb) || nb < 1) throw new RangeError(`tridiagonalise: block must be a positive integer, got ${nb}`);
  // Only the lower triangle is kept current: the symmetric products read it alone, the panel's
  // columns are gathered from it as contiguous row pieces, and the trailing update is a
  // lower-triangle rank-2k product (half the flops and half the writes of the full square).
  const threads = Math.max(1, Math.floor(opts.threads ?? availableParallelism()));
  // The matrix lives in shared WebAssembly memory when the SIMD kernel is available (about 1.5×
  // the TypeScript kernel's rate at n = 2048), else in a SharedArrayBuffer.
  const candidate = opts.simd === false || n < SYMV_SIMD_MIN ? undefined : createSymvArena(n, threads);
  const simd = candidate ? wasmSymvRows(candidate.memory) : undefined;
  const arena = simd ? candidate : undefined;
  const w = arena ? arena.w : new Float64Array(new SharedArrayBuffer(8 * n * n));
  w.set(a);
  const col = new Float64Array(n);
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const panels: ReflectorPanel[] = [];
  const y = arena ? arena.threads[0].y : new Float64Array(n);
  const u = arena ? arena.u : new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n))); // current reflector, global row indexing
  // Workers take 30–50 ms to start: the first columns run on this thread meanwhile (the panel
  // loop yields to the event loop at every trailing update, where the pool's readiness lands).
  let pool: SymvPool | undefined;
  const starting = n >= SYMV_THREADS_MIN ? createSymvPool(w, u, n, threads, arena).then((p) => (pool = p)) : undefined;
  if (opts.awaitWorkers) await starting;
  try {
  for (let p0 = 0; p0 < n - 1; p0 += nb) {
    const jb = Math.min(nb, n - 1 - p0);
    const m = n - p0; // panel rows p0 … n−1 (local row r ↔ global p0 + r)
    const V = new Float64Array(m * jb);
    const W = new Float64Array(m * jb);
    // Column-major twins (column i at i·m, local rows): the panel's level-2 work runs along them
    // as long contiguous loops, which V8 compiles far better than the short row-wise inner loops.
    const VT = new Float64Array(m * jb);
    const WT = new Float64Array(m * jb);
    const tau = new Float64Array(jb);
    // The panel's columns (rows p0 … n−1, lower part current): untouched while the panel runs.
    const panel = copyBlock(w, n, p0, n, p0, p0 + jb);
    for (let i = 0; i < jb; i++) {
      const c = p0 + i;
      for (let r = c; r < n; r++) col[r] = panel[(r - p0) * jb + i];
      if (i > 0) updateColumn(col, n, c, p0, m, i, VT, WT);
      d[c] = col[c];
      // Reflector annihilating A[c+2 …, c].
      const alpha = col[c + 1];
      let xs = 0;
      for (let r = c + 2; r < n; r++) xs = Math.max(xs, Math.abs(col[r]));
      let xnorm = 0;
      if (xs > 0) {
        let ss = 0;
        for (let r = c + 2; r < n; r++) {
          const v = col[r] / xs;
          ss += v * v;
        }
        xnorm = xs * Math.sqrt(ss);
      }
      const base = c + 1 - p0; // local row where uᵢ has its 1
      V[base * jb + i] = 1;
      VT[i * m + base] = 1;
      if (xnorm === 0) {
        tau[i] = 0;
        e[c] = alpha;
        continue; // H = I; W column stays zero
      }
      const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
      tau[i] = (beta - alpha) / beta;
      e[c] = beta;
      const inv = 1 / (alpha - beta);
      u[c + 1] = 1;
      for (let r = c + 2; r < n; r++) {
        u[r] = col[r] * inv;
        V[(r - p0) * jb + i] = u[r];
        VT[i * m + r - p0] = u[r];
      }
      // y = A[c+1:, c+1:]·u from the lower triangle: row r gives y[r] (its left part) and y[j<r].
      y.fill(0, c + 1, n);
      if (pool && n - c - 1 >= SYMV_THREADS_MIN) pool.run(c + 1, y);
      else if (simd && arena) simd(w, n, c + 1, u, y, c + 1, n, arena.threads[0].scratch);
      else symvLowerRows(w, n, c + 1, u, y);
      if (i > 0) panelCorrection(n, c + 1, p0, m, i, VT, WT, u, y);
      const ti = tau[i];
      let wu = 0;
      for (let r = c + 1; r < n; r++) {
        y[r] *= ti;
        wu += y[r] * u[r];
      }
      const shift = -0.5 * ti * wu;
      for (let r = c + 1; r < n; r++) {
        const wr = y[r] + shift * u[r];
        W[(r - p0) * jb + i] = wr;
        WT[i * m + r - p0] = wr;
      }
    }
    // Trailing update of rows/columns q0 … n−1 on the fast product, lower triangle only.
    const q0 = p0 + jb;
    const m2 = n - q0;
    if (m2 > 0) await lowerRank2kUpdate(w, n, q0, V.subarray((q0 - p0) * jb), W.subarray((q0 - p0) * jb), jb, opts.linalg);
    panels.push({ p0, count: jb, v: V.subarray(jb), tau });
  }
  if (n > 0) d[n - 1] = w[n * n - 1]; // after the last panel's trailing update
  e[Math.max(0, n - 1)] = 0;
  return { d, e, panels };
  } finally {
    await (await starting)?.close();
  }
}

/** Rows per product of the lower-triangle trailing update (each product is rows × (row end) × 2jb). */
const UPDATE_ROWS = 256;

/**
 * A[q0:, q0:] −= V·Wᵀ + W·Vᵀ on the lower triangle of w (n×n row-major) only, as products of
 * row bands with the leading rows (SYR2K's work: about half the full square's), on {@link gemm64}.
 * @param v (n − q0)×jb row-major, row r for global row q0 + r; `wt` likewise.
 */
export async function lowerRank2kUpdate(w: Float64Array, n: number, q0: number, v: Float64Array, wt: Float64Array, jb: number, linalg?: Linalg): Promise<void> {
  const m2 = n - q0;
  const k2 = 2 * jb;
  const left = new Float64Array(m2 * k2);
  const right = new Float64Array(m2 * k2);
  for (let r = 0; r < m2; r++) {
    const src = r * jb;
    left.set(v.subarray(src, src + jb), r * k2);
    left.set(wt.subarray(src, src + jb), r * k2 + jb);
    right.set(wt.subarray(src, src + jb), r * k2);
    right.set(v.subarray(src, src + jb), r * k2 + jb);
  }
  for (let a = 0; a < m2; a += UPDATE_ROWS) {
    const b = Math.min(m2, a + UPDATE_ROWS);
    // Band rows a … b−1 against rows 0 … b−1: everything on or left of the band's diagonal.
    const upd = await gemm64(linalg, left.subarray(a * k2, b * k2), right.subarray(0, b * k2), b - a, k2, b, { transposeB: true });
    for (let r = a; r < b; r++) {
      const ro = (q0 + r) * n + q0;
      const uo = (r - a) * b;
      for (let j = 0; j <= r; j++) w[ro + j] -= upd[uo + j];
    }
  }
}

/**
 * Column c (rows c … n−1, in `col`) gets the panel's first i rank-2 updates: col −= V·W[c]ᵀ + W·V[c]ᵀ,
 * V and W column-major (VT, WT: column t at t·m, local row r − p0). Four reflectors per pass over
 * `col`, so its rows are loaded and stored a quarter as often.
 */
function updateColumn(col: Float64Array, n: number, c: number, p0: number, m: number, i: number, VT: Float64Array, WT: Float64Array): void {
  let t = 0;
  for (; t + 3 < i; t += 4) {
    const o0 = t * m - p0, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    const w0 = WT[o0 + c], v0 = VT[o0 + c], w1 = WT[o1 + c], v1 = VT[o1 + c];
    const w2 = WT[o2 + c], v2 = VT[o2 + c], w3 = WT[o3 + c], v3 = VT[o3 + c];
    for (let r = c; r < n; r++) {
      col[r] -= VT[o0 + r] * w0 + WT[o0 + r] * v0 + VT[o1 + r] * w1 + WT[o1 + r] * v1
        + VT[o2 + r] * w2 + WT[o2 + r] * v2 + VT[o3 + r] * w3 + WT[o3 + r] * v3;
    }
  }
  for (; t < i; t++) {
    const o = t * m - p0;
    const wc = WT[o + c];
    const vc = VT[o + c];
    for (let r = c; r < n; r++) col[r] -= VT[o + r] * wc + WT[o + r] * vc;
  }
}

/**
 * y[s0 …] −= V·(Wᵀu) + W·(Vᵀu) over the panel's first i columns (rows s0 … n−1; VT, WT as in
 * {@link updateColumn}), four reflectors per pass.
 */
function panelCorrection(n: number, s0: number, p0: number, m: number, i: number, VT: Float64Array, WT: Float64Array, u: Float64Array, y: Float64Array): void {
  let t = 0;
  for (; t + 3 < i; t += 4) {
    const o0 = t * m - p0, o1 = o0 + m, o2 = o1 + m, o3 = o2 + m;
    let a0 = 0, b0 = 0, a1 = 0, b1 = 0, a2 = 0, b2 = 0, a3 = 0, b3 = 0;
    for (let r = s0; r < n; r++) {
      const ur = u[r];
      a0 += WT[o0 + r] * ur;
      b0 += VT[o0 + r] * ur;
      a1 += WT[o1 + r] * ur;
      b1 += VT[o1 + r] * ur;
      a2 += WT[o2 + r] * ur;
      b2 += VT[o2 + r] * ur;
      a3 += WT[o3 + r] * ur;
      b3 += VT[o3 + r] * ur;
    }
    for (let r = s0; r < n; r++) {
      y[r] -= VT[o0 + r] * a0 + WT[o0 + r] * b0 + VT[o1 + r] * a1 + WT[o1 + r] * b1
        + VT[o2 + r] * a2 + WT[o2 + r] * b2 + VT[o3 + r] * a3 + WT[o3 + r] * b3;
    }
  }
  for (; t < i; t++) {
    const o = t * m - p0;
    let g1 = 0, g2 = 0;
    for (let r = s0; r < n; r++) {
      g1 += WT[o + r] * u[r];
      g2 += VT[o + r] * u[r];
    }
    for (let r = s0; r < n; r++) y[r] -= VT[o + r] * g1 + WT[o + r] * g2;
  }
}

/** Reflectors per block of the back-transformation: wide enough that its products are compute-bound. */
const BACK_BLOCK = 128;

/**
 * Z ← Q·Z for Q = H₀·H₁·…·H_{n−2} from {@link tridiagonalise}: consecutive panels are merged
 * into blocks of about {@link BACK_BLOCK} reflectors, each applied as (I − V·T·Vᵀ)·Z (compact
 * WY, T upper triangular) with three products on {@link gemm64}.
 * @param z n×c row-major Float64Array, overwritten.
 */
export async function applyReflectors(panels: ReflectorPanel[], z: Float64Array, n: number, c: number, linalg?: Linalg): Promise<void> {
  if (z.length !== n * c) throw new RangeError(`applyReflectors: Z has ${z.length} values, expected ${n}×${c}`);
  const groups: ReflectorPanel[][] = [];
  for (let i = 0; i < panels.length;) {
    const g: ReflectorPanel[] = [];
    let count = 0;
    while (i < panels.length && (g.length === 0 || count + panels[i].count <= BACK_BLOCK)) {
      count += panels[i].count;
      g.push(panels[i++]);
    }
    groups.push(g);
  }
  for (let gi = groups.length - 1; gi >= 0; gi--) {
    const g = groups[gi];
    const p0 = g[0].p0;
    const rows = n - p0 - 1;
    const jb = g.reduce((acc, pn) => acc + pn.count, 0);
    // V of the block: panel j's rows start (pⱼ − p0) rows further down.
    const v = new Float64Array(rows * jb);
    const tau = new Float64Array(jb);
    let c0 = 0;
    for (const pn of g) {
      const off = pn.p0 - p0;
      const pr = n - pn.p0 - 1;
      for (let r = 0; r < pr; r++) v.set(pn.v.subarray(r * pn.count, (r + 1) * pn.count), (off + r) * jb + c0);
      tau.set(pn.tau, c0);
      c0 += pn.count;
    }
    const vtv = await gemm64(linalg, v, v, jb, rows, jb, { transposeA: true });
    const t = blockReflectorT(vtv, tau, jb);
    const slab = z.subarray((p0 + 1) * c);
    const gm = await gemm64(linalg, v, slab, jb, rows, c, { transposeA: true });
    const h = await gemm64(linalg, t, gm, jb, jb, c);
    // slab −= V·h as slab += V·(−h) accumulated inside the product: no pass over its output.
    for (let i = 0; i < h.length; i++) h[i] = -h[i];
    await gemm64(linalg, v, h, rows, jb, c, { accumulate: slab });
  }
}
