import { checkShape, type Linalg } from './types.js';

/**
 * Plain TypeScript implementation of {@link Linalg}, accumulating in float64. Slow but
 * obviously correct: the yardstick for the fast implementations.
 */
export const referenceLinalg: Linalg = {
  name: 'reference',
  precision: 'float64',
  threads: 1,
  async gram(a, n, p) {
    checkShape(a, n, p, 'gram: A');
    return crossProductSync(a, a, n, p, p);
  },
  async crossProduct(a, b, n, p, q) {
    checkShape(a, n, p, 'crossProduct: A');
    checkShape(b, n, q, 'crossProduct: B');
    return crossProductSync(a, b, n, p, q);
  },
  async matmul(a, b, m, k, n) {
    checkShape(a, m, k, 'matmul: A');
    checkShape(b, k, n, 'matmul: B');
    const out = new Float32Array(m * n);
    const row = new Float64Array(n);
    for (let i = 0; i < m; i++) {
      row.fill(0);
      for (let t = 0; t < k; t++) {
        const av = a[i * k + t];
        if (av === 0) continue;
        const off = t * n;
        for (let j = 0; j < n; j++) row[j] += av * b[off + j];
      }
      out.set(row, i * n);
    }
    return out;
  },
};

/** Aᵀ·B (A n×p, B n×q, row-major) → p×q Float64Array, summing rows in float64. */
export function crossProductSync(a: ArrayLike<number>, b: ArrayLike<number>, n: number, p: number, q: number): Float64Array {
  const out = new Float64Array(p * q);
  for (let r = 0; r < n; r++) {
    const ao = r * p;
    const bo = r * q;
    for (let i = 0; i < p; i++) {
      const av = a[ao + i];
      if (av === 0) continue;
      const oo = i * q;
      for (let j = 0; j < q; j++) out[oo + j] += av * b[bo + j];
    }
  }
  return out;
}
