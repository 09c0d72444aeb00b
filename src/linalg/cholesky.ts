/**
 * Small dense symmetric-positive-definite solves in float64, synchronous, pure TypeScript.
 * Used by ridge probes (d ≤ a few thousand) where the Gram is already in memory.
 */

function checkSquare(a: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`${what}: bad size n=${n}`);
  if (a.length !== n * n) throw new RangeError(`${what}: has ${a.length} values, expected n×n = ${n}×${n} = ${n * n}`);
}

/**
 * Cholesky factor of a symmetric positive-definite matrix: A = L·Lᵀ.
 * @param a n×n row-major Float64Array; only the lower triangle (incl. diagonal) is read.
 * @param n matrix size.
 * @returns L, n×n row-major lower-triangular Float64Array (upper triangle zero).
 * @throws RangeError naming the first pivot that is not strictly positive (matrix not SPD,
 *   e.g. a rank-deficient Gram: add a ridge, see {@link solveSpd}).
 */
export function choleskyFactor(a: Float64Array, n: number): Float64Array {
  checkSquare(a, n, 'choleskyFactor: A');
  const l = new Float64Array(n * n);
  // Panels of 4 columns: every row below a panel is read once per panel (not once per column),
  // which cuts memory traffic 4× at n in the thousands.
  for (let j0 = 0; j0 < n; j0 += 4) {
    const jb = Math.min(4, n - j0);
    for (let j = j0; j < j0 + jb; j++) {
      const jo = j * n;
      let s = a[jo + j];
      for (let k = 0; k < j; k++) s -= l[jo + k] * l[jo + k];
      if (!(s > 0) || !Number.isFinite(s)) {
        throw new RangeError(
          `choleskyFactor: matrix is not symmetric positive definite: pivot ${j} (of ${n}) is ${s} ≤ 0; ` +
            'the matrix is singular or indefinite (add a ridge λ·I, e.g. solveSpd(a, n, b, m, ridge))',
        );
      }
      l[jo + j] = Math.sqrt(s);
      for (let i = j + 1; i < j0 + jb; i++) {
        const io = i * n;
        let t = a[io + j];
        for (let k = 0; k < j; k++) t -= l[io + k] * l[jo + k];
        l[io + j] = t / l[jo + j];
      }
    }
    const p0 = j0 * n;
    const p1 = p0 + n;
    const p2 = p1 + n;
    const p3 = p2 + n;
    for (let i = j0 + jb; i < n; i++) {
      const io = i * n;
      let s0 = a[io + j0];
      let s1 = jb > 1 ? a[io + j0 + 1] : 0;
      let s2 = jb > 2 ? a[io + j0 + 2] : 0;
      let s3 = jb > 3 ? a[io + j0 + 3] : 0;
      if (jb === 4) {
        for (let k = 0; k < j0; k++) {
          const x = l[io + k];
          s0 -= x * l[p0 + k];
          s1 -= x * l[p1 + k];
          s2 -= x * l[p2 + k];
          s3 -= x * l[p3 + k];
        }
      } else {
        for (let k = 0; k < j0; k++) {
          const x = l[io + k];
          s0 -= x * l[p0 + k];
          if (jb > 1) s1 -= x * l[p1 + k];
          if (jb > 2) s2 -= x * l[p2 + k];
        }
      }
      // Finish inside the panel: columns j0..j0+jb-1 depend on each other.
      const l0 = s0 / l[p0 + j0];
      l[io + j0] = l0;
      if (jb > 1) {
        const l1 = (s1 - l0 * l[p1 + j0]) / l[p1 + j0 + 1];
        l[io + j0 + 1] = l1;
        if (jb > 2) {
          const l2 = (s2 - l0 * l[p2 + j0] - l1 * l[p2 + j0 + 1]) / l[p2 + j0 + 2];
          l[io + j0 + 2] = l2;
          if (jb > 3) l[io + j0 + 3] = (s3 - l0 * l[p3 + j0] - l1 * l[p3 + j0 + 1] - l2 * l[p3 + j0 + 2]) / l[p3 + j0 + 3];
        }
      }
    }
  }
  return l;
}

/**
 * Solves (L·Lᵀ)·X = B given the Cholesky factor from {@link choleskyFactor}.
 * @param l n×n row-major lower-triangular Float64Array.
 * @param b n×m row-major right-hand sides (any numeric array, not modified).
 * @returns X, n×m row-major Float64Array.
 */
export function choleskySolve(l: Float64Array, n: number, b: ArrayLike<number>, m: number): Float64Array {
  checkSquare(l, n, 'choleskySolve: L');
  if (!Number.isInteger(m) || m < 0) throw new RangeError(`choleskySolve: bad column count m=${m}`);
  if (b.length !== n * m) throw new RangeError(`choleskySolve: B has ${b.length} values, expected n×m = ${n}×${m} = ${n * m}`);
  const x = Float64Array.from(b as ArrayLike<number>);
  solveLowerInPlace(l, n, x, m);
  return solveLowerTransposedInPlace(l, n, x, m);
}

/**
 * Solves (A + ridge·I)·X = B for symmetric positive-definite A.
 * @param a n×n row-major Float64Array (lower triangle read; not modified).
 * @param b n×m row-major right-hand sides.
 * @param ridge non-negative value added to the diagonal (default 0).
 * @returns X, n×m row-major Float64Array.
 */
export function solveSpd(a: Float64Array, n: number, b: ArrayLike<number>, m: number, ridge = 0): Float64Array {
  checkSquare(a, n, 'solveSpd: A');
  if (!(ridge >= 0) || !Number.isFinite(ridge)) throw new RangeError(`solveSpd: ridge must be a finite number ≥ 0, got ${ridge}`);
  let work = a;
  if (ridge > 0) {
    work = Float64Array.from(a);
    for (let i = 0; i < n; i++) work[i * n + i] += ridge;
  }
  return choleskySolve(choleskyFactor(work, n), n, b, m);
}

/**
 * Solves L·X = B in place (forward substitution): L k×k lower-triangular row-major float64,
 * B k×m row-major float64 (overwritten with X and returned). `stride` is L's row
 * length in memory (default k), so the leading k×k block of a larger factor can be used.
 */
export function solveLowerInPlace(l: Float64Array, k: number, b: Float64Array, m: number, stride = k): Float64Array {
  for (let i = 0; i < k; i++) {
    const li = i * stride;
    const bi = i * m;
    for (let t = 0; t < i; t++) {
      const f = l[li + t];
      if (f === 0) continue;
      const bt = t * m;
      for (let j = 0; j < m; j++) b[bi + j] -= f * b[bt + j];
    }
    const inv = 1 / l[li + i];
    for (let j = 0; j < m; j++) b[bi + j] *= inv;
  }
  return b;
}

/**
 * Solves Lᵀ·X = B in place (back substitution): L k×k lower-triangular row-major float64 (row
 * stride `stride`), B k×m row-major float64 (overwritten with X and returned).
 */
export function solveLowerTransposedInPlace(l: Float64Array, k: number, b: Float64Array, m: number, stride = k): Float64Array {
  for (let i = k - 1; i >= 0; i--) {
    const bi = i * m;
    const inv = 1 / l[i * stride + i];
    for (let j = 0; j < m; j++) b[bi + j] *= inv;
    // Row i of X is final: remove its contribution from the rows above (column i of L).
    for (let t = 0; t < i; t++) {
      const f = l[i * stride + t];
      if (f === 0) continue;
      const bt = t * m;
      for (let j = 0; j < m; j++) b[bt + j] -= f * b[bi + j];
    }
  }
  return b;
}
