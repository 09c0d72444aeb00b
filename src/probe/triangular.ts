/**
 * Triangular solves with a row-major lower-triangular factor L (k×k float64), applied to a
 * block of m right-hand sides B (k×m row-major, overwritten). The softmax probe uses them to move
 * between raw weights W and whitened coordinates V = LᵀW (full SPD solves: src/linalg choleskySolve).
 */

/**
 * Solves L·X = B in place (forward substitution). L k×k lower, B k×m. `stride` is L's row
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

/** Solves Lᵀ·X = B in place (back substitution). L k×k lower (row stride `stride`), B k×m. */
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
