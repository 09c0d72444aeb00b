/**
 * Divide-and-conquer eigensolver for a symmetric tridiagonal matrix (Cuppen's method with the
 * deflation of LAPACK's dlaed2 and the Gu–Eisenstat recomputation of the updating vector, so
 * eigenvectors come out orthogonal to working precision). Leaves of ≤ {@link LEAF} rows use
 * implicit QL; each merge's eigenvector product runs on {@link gemm64} (the native double GEMM).
 */
import type { Linalg } from './types.js';
import { gemm64 } from './dense64.js';
import { tridiagonalQl } from './eigen.js';

/** Eigenpairs of a tridiagonal block, values ascending, COLUMN j of `vectors` (s×s row-major) for values[j]. */
export interface TridiagonalEigen {
  values: Float64Array;
  vectors: Float64Array;
}

/** Largest block solved directly by QL. */
const LEAF = 32;
const EPS = Number.EPSILON / 2;
/** Bisection alone needs < 1,100 halvings to reach any double; the model step usually needs 3–6. */
const MAX_SECULAR_ITERATIONS = 1200;

/**
 * Eigenvalues (ascending) and eigenvectors of the symmetric tridiagonal matrix with diagonal
 * `d` (length n) and off-diagonal `e` (e[i] couples rows i and i+1; length ≥ n − 1).
 * Neither input is modified.
 * @returns values ascending, vectors n×n row-major with COLUMN j the unit eigenvector of values[j].
 */
export async function tridiagonalEigen(d: Float64Array, e: Float64Array, n: number, linalg?: Linalg): Promise<TridiagonalEigen> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`tridiagonalEigen: bad size n=${n}`);
  if (d.length < n || e.length < Math.max(0, n - 1)) throw new RangeError(`tridiagonalEigen: need ${n} diagonal and ${n - 1} off-diagonal values, got ${d.length} and ${e.length}`);
  // Scale to unit max-norm so the absolute tolerances below are relative to ‖T‖.
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(d[i]));
  for (let i = 0; i + 1 < n; i++) scale = Math.max(scale, Math.abs(e[i]));
  if (!Number.isFinite(scale)) throw new RangeError('tridiagonalEigen: non-finite entry');
  if (scale === 0) scale = 1;
  const ds = Float64Array.from({ length: n }, (_, i) => d[i] / scale);
  const es = Float64Array.from({ length: n }, (_, i) => (i + 1 < n ? e[i] / scale : 0));
  const raw = await solve(ds, es, 0, n, linalg);
  for (let i = 0; i < n; i++) raw.values[i] *= scale;
  return sortPairs(raw.values, raw.vectors, n, n);
}

/** Eigenpairs of rows [lo, hi), unsorted. */
async function solve(d: Float64Array, e: Float64Array, lo: number, hi: number, linalg?: Linalg): Promise<TridiagonalEigen> {
  const s = hi - lo;
  if (s <= LEAF) return leaf(d, e, lo, hi);
  const k = lo + (s >> 1); // first row of the lower half
  const beta = e[k - 1];
  const rho = Math.abs(beta);
  const d1 = d.slice(lo, k);
  const d2 = d.slice(k, hi);
  d1[d1.length - 1] -= rho;
  d2[0] -= rho;
  const top = await solve(d1, e.slice(lo, k), 0, k - lo, linalg);
  const bottom = await solve(d2, e.slice(k, hi), 0, hi - k, linalg);
  return merge(top, bottom, k - lo, hi - k, rho, beta < 0 ? -1 : 1, linalg);
}

function leaf(d: Float64Array, e: Float64Array, lo: number, hi: number): TridiagonalEigen {
  const s = hi - lo;
  const dd = d.slice(lo, hi);
  const ee = new Float64Array(s);
  for (let i = 0; i + 1 < s; i++) ee[i] = e[lo + i];
  const z = new Float64Array(s * s);
  for (let i = 0; i < s; i++) z[i * s + i] = 1;
  tridiagonalQl(dd, ee, z, s);
  return { values: dd, vectors: z };
}

/** Sorts eigenpairs ascending: values (length c) with vectors as columns of `z` (rows×c). */
function sortPairs(values: Float64Array, z: Float64Array, rows: number, c: number): TridiagonalEigen {
  const order = Array.from({ length: c }, (_, i) => i).sort((x, y) => values[x] - values[y]);
  const v = new Float64Array(c);
  const out = new Float64Array(rows * c);
  for (let j = 0; j < c; j++) v[j] = values[order[j]];
  for (let r = 0; r < rows; r++) {
    const ro = r * c;
    for (let j = 0; j < c; j++) out[ro + j] = z[ro + order[j]];
  }
  return { values: v, vectors: out };
}

/**
 * Eigenpairs (unsorted) of diag(T₁, T₂) + ρ·v·vᵀ given those of T₁ (k rows) and T₂ (m rows),
 * where v = (last unit vector of block 1, sign·first unit vector of block 2). Columns of
 * Q = diag(Q₁, Q₂) stay in their blocks unless a deflation rotation mixes them, so the
 * eigenvector update is two products of the block rows (LAPACK dlaed3's trick, half the flops).
 */
async function merge(top: TridiagonalEigen, bottom: TridiagonalEigen, k: number, m: number, rho: number, sign: number, linalg?: Linalg): Promise<TridiagonalEigen> {
  const s = k + m;
  const q1 = top.vectors;
  const q2 = bottom.vectors;
  /** Columns turned into full length-s vectors by a rotation. */
  const mixed = new Map<number, Float64Array>();
  const column = (j: number): Float64Array => {
    let c = mixed.get(j);
    if (c) return c;
    c = new Float64Array(s);
    if (j < k) for (let r = 0; r < k; r++) c[r] = q1[r * k + j];
    else for (let r = 0; r < m; r++) c[k + r] = q2[r * m + j - k];
    mixed.set(j, c);
    return c;
  };
  const dAll = new Float64Array(s);
  dAll.set(top.values, 0);
  dAll.set(bottom.values, k);
  const z = new Float64Array(s);
  for (let j = 0; j < k; j++) z[j] = q1[(k - 1) * k + j];
  for (let j = 0; j < m; j++) z[k + j] = sign * q2[j];
  // ‖z‖² = 2 (two unit rows of orthogonal matrices); normalise it into ρ.
  let zz = 0;
  for (let j = 0; j < s; j++) zz += z[j] * z[j];
  const zn = Math.sqrt(zz);
  if (zn > 0) for (let j = 0; j < s; j++) z[j] /= zn;
  rho *= zz;
  const perm = Array.from({ length: s }, (_, j) => j).sort((a, b) => dAll[a] - dAll[b]);

  let dmax = 0;
  for (let j = 0; j < s; j++) dmax = Math.max(dmax, Math.abs(dAll[j]));
  const tol = 8 * EPS * Math.max(dmax, rho);
  const kept: number[] = [];
  const deflated: number[] = [];
  let prev = -1;
  for (let t = 0; t < s; t++) {
    const j = perm[t];
    if (rho * Math.abs(z[j]) <= tol) {
      deflated.push(j);
      continue;
    }
    if (prev >= 0) {
      // Two nearly equal poles: a rotation moves all of z onto one of them, the other deflates.
      const zp = z[prev];
      const zj = z[j];
      const tau = Math.hypot(zp, zj);
      const c = zj / tau;
      const sn = -zp / tau;
      if (Math.abs((dAll[j] - dAll[prev]) * c * sn) <= tol) {
        z[j] = tau;
        z[prev] = 0;
        const x = column(prev);
        const y = column(j);
        for (let r = 0; r < s; r++) {
          const xr = x[r];
          const yr = y[r];
          x[r] = c * xr + sn * yr;
          y[r] = c * yr - sn * xr;
        }
        const dp = dAll[prev] * c * c + dAll[j] * sn * sn;
        dAll[j] = dAll[prev] * sn * sn + dAll[j] * c * c;
        dAll[prev] = dp;
        deflated.push(prev);
        prev = j;
        continue;
      }
      kept.push(prev);
    }
    prev = j;
  }
  if (prev >= 0) kept.push(prev);
  // Rotations can leave `kept` slightly out of order; the secular solver needs ascending poles.
  kept.sort((a, b) => dAll[a] - dAll[b]);

  const K = kept.length;
  const values = new Float64Array(s);
  const vectors = new Float64Array(s * s);
  if (K > 0) {
    const dk = Float64Array.from(kept, (j) => dAll[j]);
    const zk = Float64Array.from(kept, (j) => z[j]);
    const { origin, tau } = secularRoots(dk, zk, rho);
    const u = secularVectors(dk, zk, rho, origin, tau);
    for (let t = 0; t < K; t++) values[t] = dk[origin[t]] + tau[t];
    // Rows of U (one per kept pole) grouped by where the pole's Q column lives.
    const topCols: number[] = [];
    const bottomCols: number[] = [];
    const mixedCols: number[] = [];
    kept.forEach((j, t) => (mixed.has(j) ? mixedCols : j < k ? topCols : bottomCols).push(t));
    const upper = [...topCols, ...mixedCols];
    const lower = [...mixedCols, ...bottomCols];
    const part = async (rows0: number, rows: number, cols: number[]): Promise<void> => {
      if (cols.length === 0 || rows === 0) return;
      const w = cols.length;
      const qa = new Float64Array(rows * w);
      // Unmixed columns all come from this part's block (Q₁ above, Q₂ below): gathered row by
      // row, so both matrices are read and written along their rows.
      const moves: number[] = [];
      cols.forEach((t, c) => {
        const j = kept[t];
        const mix = mixed.get(j);
        if (mix) for (let r = 0; r < rows; r++) qa[r * w + c] = mix[rows0 + r];
        else moves.push(c, j - rows0);
      });
      copyColumns(rows0 === 0 ? q1 : q2, rows, rows, moves, qa, 0, w);
      const ua = new Float64Array(w * K);
      cols.forEach((t, c) => ua.set(u.subarray(t * K, t * K + K), c * K));
      const prod = await gemm64(linalg, qa, ua, rows, w, K);
      for (let r = 0; r < rows; r++) vectors.set(prod.subarray(r * K, r * K + K), (rows0 + r) * s);
    };
    await part(0, k, upper);
    await part(k, m, lower);
  }
  // Deflated pairs keep their vectors: mixed ones column by column (few), the others row by row.
  const topMoves: number[] = [];
  const bottomMoves: number[] = [];
  for (let t = 0; t < deflated.length; t++) {
    const j = deflated[t];
    const col = K + t;
    values[col] = dAll[j];
    const mix = mixed.get(j);
    if (mix) for (let r = 0; r < s; r++) vectors[r * s + col] = mix[r];
    else if (j < k) topMoves.push(col, j);
    else bottomMoves.push(col, j - k);
  }
  copyColumns(q1, k, k, topMoves, vectors, 0, s);
  copyColumns(q2, m, m, bottomMoves, vectors, k, s);
  return { values, vectors };
}

/**
 * out[(row0 + r)·outStride + colᵢ] = q[r·stride + srcᵢ] for every row r < rows and every pair
 * (colᵢ, srcᵢ) of `moves` (flattened), row by row.
 */
function copyColumns(q: Float64Array, rows: number, stride: number, moves: number[], out: Float64Array, row0: number, outStride: number): void {
  if (moves.length === 0) return;
  for (let r = 0; r < rows; r++) {
    const qo = r * stride;
    const oo = (row0 + r) * outStride;
    for (let i = 0; i < moves.length; i += 2) out[oo + moves[i]] = q[qo + moves[i + 1]];
  }
}

/**
 * Roots λᵢ of the secular equation 1 + ρ·Σⱼ zⱼ²/(dⱼ − λ) = 0 for ascending poles d (distinct,
 * zⱼ ≠ 0, ρ > 0), one in each (dᵢ, dᵢ₊₁) and the last in (d_K−1, d_K−1 + ρ‖z‖²). Each root is
 * returned as origin index and offset, λᵢ = d[origin[i]] + tau[i], with the origin the nearer
 * pole so that dⱼ − λᵢ = (dⱼ − d_origin) − τᵢ keeps full relative accuracy. Iteration: the
 * two-pole rational model (Bunch–Nielsen–Sorensen), bracketed, bisecting when a step leaves the bracket.
 */
export function secularRoots(d: Float64Array, z: Float64Array, rho: number): { origin: Int32Array; tau: Float64Array } {
  const K = d.length;
  const origin = new Int32Array(K);
  const tau = new Float64Array(K);
  const z2 = Float64Array.from(z, (v) => v * v);
  let zsq = 0;
  for (let j = 0; j < K; j++) zsq += z2[j];
  const delta = new Float64Array(K);
  for (let i = 0; i < K; i++) {
    const last = i === K - 1;
    let org = i;
    let lo = 0;
    let hi: number;
    if (!last) {
      const gap = d[i + 1] - d[i];
      // f at the midpoint decides which pole is nearer.
      let f = 1;
      for (let j = 0; j < K; j++) f += (rho * z2[j]) / (d[j] - d[i] - gap / 2);
      if (f >= 0) hi = gap / 2;
      else {
        org = i + 1;
        lo = -gap / 2;
        hi = 0;
      }
    } else hi = rho * zsq;
    for (let j = 0; j < K; j++) delta[j] = d[j] - d[org];
    const di = delta[i];
    const di1 = last ? Infinity : delta[i + 1];
    let t = (lo + hi) / 2;
    let converged = false;
    for (let iter = 0; iter < MAX_SECULAR_ITERATIONS; iter++) {
      let psi = 0, dpsi = 0, phi = 0, dphi = 0;
      for (let j = 0; j <= i; j++) {
        const r = 1 / (delta[j] - t);
        const w = rho * z2[j] * r;
        psi += w;
        dpsi += w * r;
      }
      for (let j = i + 1; j < K; j++) {
        const r = 1 / (delta[j] - t);
        const w = rho * z2[j] * r;
        phi += w;
        dphi += w * r;
      }
      const f = 1 + psi + phi;
      if (f < 0) lo = t;
      else hi = t;
      if (Math.abs(f) <= 8 * EPS * (1 + Math.abs(psi) + Math.abs(phi)) * Math.max(1, Math.sqrt(K)) || hi - lo <= 2 * EPS * Math.max(Math.abs(lo), Math.abs(hi))) {
        converged = true;
        break;
      }
      // Rational model through the two nearest poles matching value and slope at t.
      const b1 = dpsi * (di - t) * (di - t);
      const a1 = psi - dpsi * (di - t);
      let next: number;
      if (last) {
        next = 1 + a1 > 0 ? di + b1 / (1 + a1) : NaN;
      } else {
        const b2 = dphi * (di1 - t) * (di1 - t);
        const a2 = phi - dphi * (di1 - t);
        const c = 1 + a1 + a2;
        const gap = di1 - di;
        // c·p² + (c·gap + b1 + b2)·p + b1·gap = 0 for p = di − x in (−gap, 0).
        const bq = c * gap + b1 + b2;
        const cq = b1 * gap;
        let p: number;
        if (c === 0) p = -cq / bq;
        else {
          const disc = Math.sqrt(Math.max(0, bq * bq - 4 * c * cq));
          const qq = -0.5 * (bq + (bq >= 0 ? disc : -disc));
          const r1 = qq / c;
          const r2 = cq / qq;
          p = r1 < 0 && r1 > -gap ? r1 : r2;
        }
        next = di - p;
      }
      t = Number.isFinite(next) && next > lo && next < hi ? next : (lo + hi) / 2;
    }
    if (!converged) throw new Error(`tridiagonalEigen: secular equation root ${i} of ${K} did not converge in ${MAX_SECULAR_ITERATIONS} iterations`);
    origin[i] = org;
    tau[i] = t;
  }
  return { origin, tau };
}

/**
 * Orthonormal eigenvectors (K×K row-major, COLUMN i for root i) of diag(d) + ρ·z·zᵀ from its
 * computed roots: z is first recomputed from the roots (Gu–Eisenstat), so the vectors
 * ẑⱼ/(dⱼ − λᵢ) are orthogonal to working precision whatever the roots' own error.
 */
export function secularVectors(d: Float64Array, z: Float64Array, rho: number, origin: Int32Array, tau: Float64Array): Float64Array {
  const K = d.length;
  /** dⱼ − λᵢ, accurately. */
  const diff = (j: number, i: number) => (d[j] - d[origin[i]]) - tau[i];
  const zhat = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    let w = -diff(j, j) / rho;
    for (let i = 0; i < K; i++) {
      if (i === j) continue;
      w *= diff(j, i) / (d[j] - d[i]);
    }
    zhat[j] = Math.sign(z[j]) * Math.sqrt(Math.max(0, w));
  }
  const u = new Float64Array(K * K);
  const norms = new Float64Array(K);
  for (let j = 0; j < K; j++) {
    const o = j * K;
    for (let i = 0; i < K; i++) {
      const v = zhat[j] / diff(j, i);
      u[o + i] = v;
      norms[i] += v * v;
    }
  }
  for (let i = 0; i < K; i++) norms[i] = 1 / Math.sqrt(norms[i]);
  for (let j = 0; j < K; j++) {
    const o = j * K;
    for (let i = 0; i < K; i++) u[o + i] *= norms[i];
  }
  return u;
}
