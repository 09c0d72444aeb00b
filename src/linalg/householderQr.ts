/**
 * Blocked Householder QR of a tall matrix (LAPACK dgeqrf + dorgqr): panels of nb columns are
 * factored in TypeScript, the trailing columns and the formation of Q run as compact-WY block
 * reflectors (I − V·T·Vᵀ) on {@link gemm64}. Returns the thin orthonormal factor only, which
 * is all a randomized range finder needs. Rank-deficient input is fine (a zero column gets
 * H = I and Q still has orthonormal columns), as with LAPACK.
 */
import type { Linalg } from './types.js';
import { copyBlock, gemm64 } from './dense64.js';

interface QrPanel {
  j0: number;
  jb: number;
  /** (m − j0)×jb row-major unit lower-trapezoidal reflector vectors. */
  v: Float64Array;
  /** jb×jb upper-triangular T of the block reflector. */
  t: Float64Array;
}

const DEFAULT_BLOCK = 32;

/**
 * T (jb×jb, upper triangular) of the forward block reflector H₀·…·H_{jb−1} = I − V·T·Vᵀ (compact WY) from
 * VᵀV (jb×jb row-major) and τ (jb): T[i][i] = τᵢ, T[0:i, i] = −τᵢ·T[0:i, 0:i]·(VᵀV)[0:i, i].
 */
export function blockReflectorT(vtv: Float64Array, tau: Float64Array, jb: number): Float64Array {
  const t = new Float64Array(jb * jb);
  for (let i = 0; i < jb; i++) {
    t[i * jb + i] = tau[i];
    for (let r = 0; r < i; r++) {
      let acc = 0;
      for (let q = r; q < i; q++) acc += t[r * jb + q] * vtv[q * jb + i];
      t[r * jb + i] = -tau[i] * acc;
    }
  }
  return t;
}

/**
 * Q of A = Q·R (thin: m×q with orthonormal columns), A m×q row-major Float64Array, m ≥ q.
 * Same Q as LAPACK (dgeqrf's sign convention: R has the sign of −a₁₁ on its diagonal).
 */
export async function householderQ(a: Float64Array, m: number, q: number, opts: { linalg?: Linalg; block?: number } = {}): Promise<Float64Array> {
  if (!Number.isInteger(m) || !Number.isInteger(q) || q < 0 || m < q) throw new RangeError(`householderQ: need m ≥ q ≥ 0, got ${m}×${q}`);
  if (a.length !== m * q) throw new RangeError(`householderQ: A has ${a.length} values, expected ${m}×${q} = ${m * q}`);
  const nb = opts.block ?? DEFAULT_BLOCK;
  const w = Float64Array.from(a);
  const panels: QrPanel[] = [];
  for (let j0 = 0; j0 < q; j0 += nb) {
    const jb = Math.min(nb, q - j0);
    const mr = m - j0;
    // Column-major copy of the panel so each column is contiguous.
    const p = new Float64Array(jb * mr);
    for (let r = 0; r < mr; r++) {
      const o = (j0 + r) * q + j0;
      for (let c = 0; c < jb; c++) p[c * mr + r] = w[o + c];
    }
    const tau = new Float64Array(jb);
    for (let c = 0; c < jb; c++) {
      const co = c * mr;
      const alpha = p[co + c];
      let xs = 0;
      for (let r = c + 1; r < mr; r++) xs = Math.max(xs, Math.abs(p[co + r]));
      let xnorm = 0;
      if (xs > 0) {
        let ss = 0;
        for (let r = c + 1; r < mr; r++) ss += (p[co + r] / xs) ** 2;
        xnorm = xs * Math.sqrt(ss);
      }
      if (xnorm === 0) {
        tau[c] = 0;
      } else {
        const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
        tau[c] = (beta - alpha) / beta;
        const inv = 1 / (alpha - beta);
        for (let r = c + 1; r < mr; r++) p[co + r] *= inv;
        p[co + c] = beta;
      }
      const tc = tau[c];
      if (tc === 0) continue;
      for (let t2 = c + 1; t2 < jb; t2++) {
        const to = t2 * mr;
        let s = p[to + c];
        for (let r = c + 1; r < mr; r++) s += p[co + r] * p[to + r];
        s *= tc;
        p[to + c] -= s;
        for (let r = c + 1; r < mr; r++) p[to + r] -= s * p[co + r];
      }
    }
    const v = new Float64Array(mr * jb);
    for (let r = 0; r < mr; r++) {
      for (let c = 0; c < jb && c <= r; c++) v[r * jb + c] = r === c ? 1 : p[c * mr + r];
    }
    const t = blockReflectorT(await gemm64(opts.linalg, v, v, jb, mr, jb, { transposeA: true }), tau, jb);
    panels.push({ j0, jb, v, t });
    // Trailing columns: A₂ ← (I − V·T·Vᵀ)ᵀ·A₂ = A₂ − V·Tᵀ·(Vᵀ·A₂).
    const c0 = j0 + jb;
    if (c0 < q) {
      const w2 = q - c0;
      const a2 = copyBlock(w, q, j0, m, c0, q);
      const g = await gemm64(opts.linalg, v, a2, jb, mr, w2, { transposeA: true });
      const h = await gemm64(opts.linalg, t, g, jb, jb, w2, { transposeA: true });
      const upd = await gemm64(opts.linalg, v, h, mr, jb, w2);
      for (let r = 0; r < mr; r++) {
        const o = (j0 + r) * q + c0;
        const uo = r * w2;
        for (let c = 0; c < w2; c++) w[o + c] = a2[uo + c] - upd[uo + c];
      }
    }
  }
  // Q = H₀·…·H_{q−1}·[I; 0], applied block by block from the last.
  const z = new Float64Array(m * q);
  for (let i = 0; i < q; i++) z[i * q + i] = 1;
  for (let k = panels.length - 1; k >= 0; k--) {
    const { j0, jb, v, t } = panels[k];
    const mr = m - j0;
    // Columns < j0 of rows ≥ j0 are still zero here, so only columns j0 … q−1 are touched.
    const w2 = q - j0;
    const slab = copyBlock(z, q, j0, m, j0, q);
    const g = await gemm64(opts.linalg, v, slab, jb, mr, w2, { transposeA: true });
    const h = await gemm64(opts.linalg, t, g, jb, jb, w2);
    const upd = await gemm64(opts.linalg, v, h, mr, jb, w2);
    for (let r = 0; r < mr; r++) {
      const o = (j0 + r) * q + j0;
      const uo = r * w2;
      for (let c = 0; c < w2; c++) z[o + c] = slab[uo + c] - upd[uo + c];
    }
  }
  return z;
}
