/**
 * Symmetric eigensolver at LAPACK's order of speed (dsyevd's plan): blocked Householder
 * tridiagonalisation ({@link tridiagonalise}), divide and conquer on the tridiagonal
 * ({@link tridiagonalEigen}), blocked back-transformation ({@link applyReflectors}); the
 * O(n³) products run on the backend's native double GEMM when it has one.
 */
import type { Linalg } from './types.js';
import { symmetricEigen, type SymmetricEigen } from './eigen.js';
import { tridiagonalEigen } from './tridiagonalDc.js';
import { applyReflectors, tridiagonalise } from './tridiagonalise.js';

/** Up to this size the one-pass QL solver ({@link symmetricEigen}) is used. */
const SMALL = 48;

/**
 * Eigendecomposition A = V·diag(values)·Vᵀ of a real symmetric matrix.
 * @param a n×n row-major Float64Array (only the lower triangle is read; not modified).
 * @param opts.linalg backend for the products (absent: TypeScript kernels, much slower).
 * @param opts.threads threads of the tridiagonalisation's matrix–vector products (default: cores).
 * @returns values descending (float64) and vectors n×n row-major with COLUMN j the unit
 *   eigenvector of values[j] (same contract as {@link symmetricEigen}).
 * @throws RangeError on a shape mismatch or a non-finite entry (naming it).
 */
export async function symmetricEigenBlocked(a: Float64Array, n: number, opts: { linalg?: Linalg; threads?: number } = {}): Promise<SymmetricEigen> {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`symmetricEigenBlocked: bad size n=${n}`);
  if (a.length !== n * n) throw new RangeError(`symmetricEigenBlocked: A has ${a.length} values, expected n×n = ${n}×${n} = ${n * n}`);
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) throw new RangeError(`symmetricEigenBlocked: A[${Math.floor(i / n)}][${i % n}] is ${a[i]} (expected finite values)`);
  }
  if (n <= SMALL) return symmetricEigen(a, n);
  const { d, e, panels } = await tridiagonalise(a, n, { linalg: opts.linalg, threads: opts.threads });
  const { values: asc, vectors: z } = await tridiagonalEigen(d, e, n, opts.linalg);
  await applyReflectors(panels, z, n, n, opts.linalg);
  // Ascending → descending.
  const values = new Float64Array(n);
  for (let j = 0; j < n; j++) values[j] = asc[n - 1 - j];
  for (let r = 0; r < n; r++) z.subarray(r * n, r * n + n).reverse();
  return { values, vectors: z };
}
