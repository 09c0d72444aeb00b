/** Symmetric matrix–vector kernel of the tridiagonalisation, shared by the main thread and its workers. */

/**
 * y[s0 … n) += B·u for the symmetric trailing block B = A[s0:, s0:] (A n×n row-major) read from
 * its lower triangle only (each entry once, used for both y[r] and y[j]): memory-bound, so half
 * the reads. Rows [rStart, rEnd) only (default all), so threads can split the triangle.
 * Four rows per pass share each load and store of u[j] and y[j].
 */
export function symvLowerRows(w: Float64Array, n: number, s0: number, u: Float64Array, y: Float64Array, rStart = s0, rEnd = n): void {
  let r = rStart;
  for (; r + 3 < rEnd; r += 4) {
    const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
    const u0 = u[r], u1 = u[r + 1], u2 = u[r + 2], u3 = u[r + 3];
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = s0; j < r; j++) {
      const x0 = w[o0 + j], x1 = w[o1 + j], x2 = w[o2 + j], x3 = w[o3 + j];
      const uj = u[j];
      a0 += x0 * uj;
      a1 += x1 * uj;
      a2 += x2 * uj;
      a3 += x3 * uj;
      y[j] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
    }
    addDiagonalBlock4(w, n, r, u, y, a0, a1, a2, a3);
  }
  for (; r < rEnd; r++) {
    const ro = r * n;
    const ur = u[r];
    let acc = 0;
    for (let j = s0; j < r; j++) {
      const x = w[ro + j];
      acc += x * u[j];
      y[j] += x * ur;
    }
    y[r] += acc + w[ro + r] * ur;
  }
}

/**
 * Closes a pass over rows r … r+3: y[r+i] += a_i + (the 4×4 diagonal block of the lower triangle)·u[r … r+3],
 * where a_i = Σ_{j<r} A[r+i, j]·u[j] was accumulated by the caller (TypeScript or SIMD).
 */
export function addDiagonalBlock4(w: Float64Array, n: number, r: number, u: Float64Array, y: Float64Array, a0: number, a1: number, a2: number, a3: number): void {
  const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
  const u0 = u[r], u1 = u[r + 1], u2 = u[r + 2], u3 = u[r + 3];
  const b10 = w[o1 + r], b20 = w[o2 + r], b21 = w[o2 + r + 1], b30 = w[o3 + r], b31 = w[o3 + r + 1], b32 = w[o3 + r + 2];
  y[r] += a0 + w[o0 + r] * u0 + b10 * u1 + b20 * u2 + b30 * u3;
  y[r + 1] += a1 + b10 * u0 + w[o1 + r + 1] * u1 + b21 * u2 + b31 * u3;
  y[r + 2] += a2 + b20 * u0 + b21 * u1 + w[o2 + r + 2] * u2 + b32 * u3;
  y[r + 3] += a3 + b30 * u0 + b31 * u1 + b32 * u2 + w[o3 + r + 3] * u3;
}
