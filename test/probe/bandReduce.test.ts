import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyBandQ, bandReduce, solveShiftedBand } from '../../src/probe/bandReduce.js';
import { solveSpd } from '../../src/linalg/cholesky.js';
import { SeededRng } from '../../src/util/random.js';

/** A k×k Gram XᵀX of n rows (rank min(n, k)), full storage. */
function gram(k: number, n: number, seed: number): Float64Array {
  const rng = new SeededRng(seed);
  const x = Float64Array.from({ length: n * k }, () => rng.nextNormal() * (1 + (rng.below(5) === 0 ? 10 : 0)));
  const a = new Float64Array(k * k);
  for (let r = 0; r < n; r++) for (let i = 0; i < k; i++) { const xi = x[r * k + i]; for (let j = 0; j < k; j++) a[i * k + j] += xi * x[r * k + j]; }
  return a;
}

for (const [k, n, band] of [[70, 200, 8], [97, 40, 16], [130, 300, 32], [5, 9, 32], [300, 100, 16], [261, 400, 4]] as const) {
  test(`k=${k}, ${n} rows, band ${band}: Q·(B + σI)⁻¹·Qᵀ·R equals a dense Cholesky solve for every σ`, async () => {
    const a = gram(k, n, k + n);
    const red = await bandReduce(a, k, { band });
    const rng = new SeededRng(1);
    const cols = 3;
    const rhs = Float64Array.from({ length: k * cols }, () => rng.nextNormal());
    const z = Float64Array.from(rhs);
    await applyBandQ(red, z, cols, true);
    let trace = 0;
    for (let i = 0; i < k; i++) trace += a[i * k + i];
    for (const rel of [10, 1e-2, 1e-5, 1e-8]) {
      const sigma = rel * trace / k;
      const y = solveShiftedBand(red, z, cols, sigma);
      assert.ok(y, `σ=${sigma}: banded factor failed`);
      await applyBandQ(red, y, cols, false);
      const ref = solveSpd(Float64Array.from(a), k, rhs, cols, sigma);
      let err = 0; let size = 0;
      for (let i = 0; i < y.length; i++) { err = Math.max(err, Math.abs(y[i] - ref[i])); size = Math.max(size, Math.abs(ref[i])); }
      // A backward-stable solve is accurate to ε·κ(A + σI), and κ ≤ (λmax + σ)/σ ≤ 1 + trace/σ: the
      // rank-deficient Grams at the smallest σ are conditioned ~1e10, and both solvers err ~1e-7 there.
      const tol = Math.max(1e-13, Number.EPSILON * (1 + trace / sigma));
      assert.ok(err <= tol * size, `σ/mean eigenvalue=${rel}: max |Δ| ${err} vs max |y| ${size} (tolerance ${tol})`);
    }
  });
}

test('Q is orthogonal: Qᵀ·Q·Z = Z', async () => {
  const k = 90;
  const red = await bandReduce(gram(k, 120, 3), k, { band: 12 });
  const rng = new SeededRng(2);
  const z0 = Float64Array.from({ length: k * 2 }, () => rng.nextNormal());
  const z = Float64Array.from(z0);
  await applyBandQ(red, z, 2, false);
  await applyBandQ(red, z, 2, true);
  for (let i = 0; i < z.length; i++) assert.ok(Math.abs(z[i] - z0[i]) < 1e-12, `entry ${i}`);
});

test('bad shapes are range errors', async () => {
  await assert.rejects(() => bandReduce(new Float64Array(5), 2), /expected 2×2/);
  await assert.rejects(() => bandReduce(new Float64Array(4), 2, { band: 0 }), /band must be a positive integer/);
});
