import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choleskyFactorBlocked, invertLower, solveLowerBlocked, solveLowerTransposedBlocked, solveSpdBlocked } from '../../src/linalg/blockedCholesky.js';
import { gemm64Sync } from '../../src/linalg/dense64.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import type { Linalg } from '../../src/linalg/types.js';
import { loadNumpyFixtures, maxRelDiff, seededUniform } from './fixtures.js';

/** A known lower-triangular factor with a well-conditioned diagonal, and A = L·Lᵀ. */
function knownFactor(n: number, seed: number): { l: Float64Array; a: Float64Array } {
  const rnd = seededUniform(seed);
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) l[i * n + j] = (rnd() - 0.5) / Math.sqrt(n);
    l[i * n + i] = 1 + rnd();
  }
  return { l, a: gemm64Sync(l, l, n, n, n, { transposeB: true }) };
}

const backends: [string, () => Promise<Linalg | undefined>][] = [
  ['TypeScript products', async () => undefined],
  ['onnxruntime float64 products', () => createOnnxLinalg()],
];

for (const [label, make] of backends) {
  test(`choleskyFactorBlocked recovers a known factor (${label}; n not a multiple of the block)`, async () => {
    const linalg = await make();
    try {
      for (const [n, block] of [[300, 64], [97, 16], [130, 128]]) {
        const { l, a } = knownFactor(n, n);
        const got = await choleskyFactorBlocked(a, n, { linalg, block });
        assert.ok(maxRelDiff(got, l) < 1e-13, `n=${n} block=${block}: ${maxRelDiff(got, l)}`);
      }
    } finally {
      await linalg?.dispose?.();
    }
  });

  test(`blocked triangular solves and solveSpdBlocked recover a known solution (${label})`, async () => {
    const linalg = await make();
    try {
      const n = 250;
      const m = 7;
      const { l, a } = knownFactor(n, 2);
      const rnd = seededUniform(8);
      const x = Float64Array.from({ length: n * m }, () => rnd() - 0.5);
      const lx = gemm64Sync(l, x, n, n, m);
      const ltx = gemm64Sync(l, x, n, n, m, { transposeA: true });
      const opts = { linalg, block: 32 };
      assert.ok(maxRelDiff(await solveLowerBlocked(l, n, lx, m, opts), x) < 1e-13);
      assert.ok(maxRelDiff(await solveLowerTransposedBlocked(l, n, ltx, m, opts), x) < 1e-13);
      const ax = gemm64Sync(a, x, n, n, m);
      assert.ok(maxRelDiff(await solveSpdBlocked(a, n, ax, m, 0, opts), x) < 1e-12);
      // With a ridge: (A + λI)·x = A·x + λ·x.
      const lam = 0.5;
      const rhs = ax.map((v, i) => v + lam * x[i]);
      assert.ok(maxRelDiff(await solveSpdBlocked(a, n, rhs, m, lam, opts), x) < 1e-12);
    } finally {
      await linalg?.dispose?.();
    }
  });
}

test('choleskyFactorBlocked matches the numpy fixtures (tiny blocks force the blocked path)', async () => {
  for (const c of loadNumpyFixtures().cases) {
    const got = await choleskyFactorBlocked(Float64Array.from(c.spd), c.n, { block: 2 });
    assert.ok(maxRelDiff(got, c.cholesky) < 1e-12, `n=${c.n}`);
    const x = await solveSpdBlocked(Float64Array.from(c.spd), c.n, c.rhs, c.m, 0, { block: 2 });
    assert.ok(maxRelDiff(x, c.solution) < 1e-9, `X n=${c.n}`);
  }
});

test('choleskyFactorBlocked names the failing pivot by its global index', async () => {
  const { a } = knownFactor(100, 3);
  const n = 100;
  // Row/column 70 a copy of row/column 10 with a smaller diagonal: indefinite, first at pivot 70.
  for (let j = 0; j < n; j++) {
    a[70 * n + j] = a[10 * n + j];
    a[j * n + 70] = a[j * n + 10];
  }
  a[70 * n + 70] = a[10 * n + 10] - 0.5;
  await assert.rejects(choleskyFactorBlocked(a, n, { block: 16 }), /choleskyFactorBlocked: matrix is not symmetric positive definite: pivot 70 \(of 100\)/);
  await assert.rejects(choleskyFactorBlocked(new Float64Array(3), 2), /choleskyFactorBlocked: A: has 3 values/);
  await assert.rejects(solveLowerBlocked(new Float64Array(4), 2, [1, 2, 3], 2), /solveLowerBlocked: B has 3 values/);
  await assert.rejects(choleskyFactorBlocked(new Float64Array(4), 2, { block: 0 }), /block must be a positive integer/);
});

test('invertLower: L·L⁻¹ = I', () => {
  const { l } = knownFactor(20, 4);
  const prod = gemm64Sync(l, invertLower(l, 20), 20, 20, 20);
  const eye = Float64Array.from({ length: 400 }, (_, i) => (i % 21 === 0 ? 1 : 0));
  assert.ok(maxRelDiff(prod, eye) < 1e-14);
});
