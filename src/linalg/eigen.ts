/**
 * Symmetric eigendecomposition in float64: Householder reduction to tridiagonal form, then
 * implicit QL with Wilkinson-type shifts. All inner loops run along rows of row-major arrays;
 * each QL sweep's rotations are recorded and then applied row by row in one pass, so
 * n = 2048 stays cache-friendly.
 */

/** Result of {@link symmetricEigen}. */
export interface SymmetricEigen {
  /** n eigenvalues, descending. */
  values: Float64Array;
  /** n×n row-major; COLUMN j (`vectors[i*n + j]`, i = 0..n-1) is the unit eigenvector of values[j]. */
  vectors: Float64Array;
}

/** Most QL sweeps allowed per eigenvalue before giving up (typically 1–3 are needed). */
const MAX_SWEEPS = 60;

/**
 * Reduces the symmetric matrix held in `w` (n×n row-major, lower triangle used, overwritten)
 * to tridiagonal form T = Qᵀ·A·Q. Returns diagonal d, subdiagonal e (e[i] couples i-1 and i,
 * e[0] = 0), and leaves the Householder vectors in the rows of `w` with their norms in `h`.
 */
function tridiagonalise(w: Float64Array, n: number): { d: Float64Array; e: Float64Array; h: Float64Array } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const h = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = n - 1; i >= 1; i--) {
    const io = i * n;
    d[i] = w[io + i];
    if (i === 1) {
      e[1] = w[io];
      continue;
    }
    // Scale the row so σ² neither overflows nor underflows.
    let scale = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(w[io + k]);
    if (scale === 0) {
      e[i] = 0;
      continue;
    }
    let sigma2 = 0;
    for (let k = 0; k < i; k++) {
      const v = w[io + k] / scale;
      w[io + k] = v;
      sigma2 += v * v;
    }
    const f = w[io + i - 1];
    const g = f >= 0 ? -Math.sqrt(sigma2) : Math.sqrt(sigma2);
    e[i] = scale * g;
    const hh = sigma2 - f * g;
    h[i] = hh;
    w[io + i - 1] = f - g; // row i now holds u; P = I − u·uᵀ/hh
    // p = B·u / hh for the leading i×i block B, reading only its lower triangle row by row.
    p.fill(0, 0, i);
    for (let j = 0; j < i; j++) {
      const jo = j * n;
      const uj = w[io + j];
      let acc = w[jo + j] * uj;
      for (let k = 0; k < j; k++) {
        const bjk = w[jo + k];
        acc += bjk * w[io + k];
        p[k] += bjk * uj;
      }
      p[j] += acc;
    }
    let up = 0;
    for (let j = 0; j < i; j++) {
      p[j] /= hh;
      up += w[io + j] * p[j];
    }
    const kk = up / (2 * hh);
    for (let j = 0; j < i; j++) p[j] -= kk * w[io + j]; // p becomes q = p − K·u
    // B ← B − u·qᵀ − q·uᵀ on the lower triangle.
    for (let j = 0; j < i; j++) {
      const jo = j * n;
      const uj = w[io + j];
      const qj = p[j];
      for (let k = 0; k <= j; k++) w[jo + k] -= uj * p[k] + qj * w[io + k];
    }
  }
  if (n > 0) d[0] = w[0];
  return { d, e, h };
}

/** Builds Q (n×n row-major) from the Householder vectors left in `w` by {@link tridiagonalise}. */
function householderBasis(w: Float64Array, h: Float64Array, n: number): Float64Array {
  // M = P_i · … · P_2 grows from the identity; P_i only touches rows/columns < i.
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++) m[i * n + i] = 1;
  const row = new Float64Array(n);
  for (let i = 2; i < n; i++) {
    const hh = h[i];
    if (hh === 0) continue;
    const io = i * n;
    row.fill(0, 0, i);
    // row = uᵀ·M over the leading block, four rows of M per pass (a quarter of the row[] traffic).
    let r = 0;
    for (; r + 3 < i; r += 4) {
      const u0 = w[io + r], u1 = w[io + r + 1], u2 = w[io + r + 2], u3 = w[io + r + 3];
      const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      for (let c = 0; c < i; c++) row[c] += u0 * m[o0 + c] + u1 * m[o1 + c] + u2 * m[o2 + c] + u3 * m[o3 + c];
    }
    for (; r < i; r++) {
      const ur = w[io + r];
      const ro = r * n;
      for (let c = 0; c < i; c++) row[c] += ur * m[ro + c];
    }
    for (let rr = 0; rr < i; rr++) {
      const f = w[io + rr] / hh;
      if (f === 0) continue;
      const ro = rr * n;
      for (let c = 0; c < i; c++) m[ro + c] -= f * row[c];
    }
  }
  return m;
}

/**
 * Applies one QL sweep's plane rotations i = hi−1 down to lo (mixing columns i and i+1, cosine
 * cs[i], sine sn[i]) to z (n×n row-major). Each row is scanned once in memory
 * order (right to left), carrying the column the next rotation shares; two rows at a time so the
 * carried dependency chains overlap.
 */
function applySweep(z: Float64Array, n: number, lo: number, hi: number, cs: Float64Array, sn: Float64Array): void {
  if (hi <= lo) return;
  let k = 0;
  for (; k + 1 < n; k += 2) {
    const o = k * n;
    const p = o + n;
    let x = z[o + hi];
    let xp = z[p + hi];
    for (let i = hi - 1; i >= lo; i--) {
      const c = cs[i];
      const s = sn[i];
      const y = z[o + i];
      const yp = z[p + i];
      z[o + i + 1] = s * y + c * x;
      z[p + i + 1] = s * yp + c * xp;
      x = c * y - s * x;
      xp = c * yp - s * xp;
    }
    z[o + lo] = x;
    z[p + lo] = xp;
  }
  for (; k < n; k++) {
    const o = k * n;
    let x = z[o + hi];
    for (let i = hi - 1; i >= lo; i--) {
      const y = z[o + i];
      z[o + i + 1] = sn[i] * y + cs[i] * x;
      x = cs[i] * y - sn[i] * x;
    }
    z[o + lo] = x;
  }
}

/**
 * Implicit QL on the tridiagonal (d, e) with e[i] coupling i and i+1 (e[n-1] = 0); applies
 * every rotation to the columns of `z` (n×n row-major; eigenvectors as columns). Overwrites d
 * with the eigenvalues (unsorted) and e with rounding debris.
 * @throws Error when an eigenvalue does not converge (NaN/Inf input).
 */
export function tridiagonalQl(d: Float64Array, e: Float64Array, z: Float64Array, n: number): void {
  const cs = new Float64Array(n);
  const sn = new Float64Array(n);
  for (let l = 0; l < n; l++) {
    let sweeps = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
        if (Math.abs(e[m]) <= Number.EPSILON * dd) break;
      }
      if (m === l) break;
      if (++sweeps > MAX_SWEEPS) {
        throw new Error(`symmetricEigen: QL iteration did not converge for eigenvalue ${l} of ${n} after ${MAX_SWEEPS} sweeps (matrix has NaN/Inf?)`);
      }
      let g = (d[l + 1] - d[l]) / (2 * e[l]);
      let r = Math.hypot(g, 1);
      g = d[m] - d[l] + e[l] / (g + (g >= 0 ? r : -r));
      let s = 1;
      let c = 1;
      let p = 0;
      let i = m - 1;
      let deflated = false;
      for (; i >= l; i--) {
        const f = s * e[i];
        const b = c * e[i];
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] -= p;
          e[m] = 0;
          deflated = true;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        cs[i] = c;
        sn[i] = s;
      }
      // Rotations i = m−1 … i+1 (down to l when the sweep completed) were recorded.
      applySweep(z, n, deflated ? i + 1 : l, m, cs, sn);
      if (deflated) continue;
      d[l] -= p;
      e[l] = g;
      e[m] = 0;
    }
  }
}

/**
 * Eigendecomposition of a real symmetric matrix, A = V·diag(values)·Vᵀ.
 * @param a n×n row-major Float64Array (only the lower triangle is read; not modified).
 * @param n matrix size.
 * @returns values descending (float64) and vectors n×n row-major with COLUMN j the unit
 *   eigenvector of values[j]. Cost ≈ 4/3·n³ (reduction) + ≈ 6·n³ (QL with vectors) flops.
 */
export function symmetricEigen(a: Float64Array, n: number): SymmetricEigen {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`symmetricEigen: bad size n=${n}`);
  if (a.length !== n * n) throw new RangeError(`symmetricEigen: A has ${a.length} values, expected n×n = ${n}×${n} = ${n * n}`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new RangeError(`symmetricEigen: A[${Math.floor(i / n)}][${i % n}] is ${a[i]} (expected finite values)`);
  }
  const w = Float64Array.from(a);
  const { d, e, h } = tridiagonalise(w, n);
  const z = householderBasis(w, h, n);
  // Shift the subdiagonal so e[i] couples i and i+1.
  for (let i = 1; i < n; i++) e[i - 1] = e[i];
  if (n > 0) e[n - 1] = 0;
  tridiagonalQl(d, e, z, n);
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => d[y] - d[x]);
  const values = new Float64Array(n);
  const vectors = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const src = order[j];
    values[j] = d[src];
  }
  for (let r = 0; r < n; r++) {
    const ro = r * n;
    for (let j = 0; j < n; j++) vectors[ro + j] = z[ro + order[j]];
  }
  return { values, vectors };
}
