import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choleskyFactor, choleskySolve, solveSpd, solveLowerInPlace, solveLowerTransposedInPlace } from '../../src/linalg/cholesky.js';
import { loadNumpyFixtures, maxRelDiff, seededUniform } from './fixtures.js';

test('choleskyFactor of a diagonal matrix is the square roots', () => {
  const L = choleskyFactor(Float64Array.from([4, 0, 0, 0, 9, 0, 0, 0, 0.25]), 3);
  assert.deepEqual(Array.from(L), [2, 0, 0, 0, 3, 0, 0, 0, 0.5]);
});

test('choleskyFactor 2×2 closed form', () => {
  // [[a, b], [b, c]] → L = [[√a, 0], [b/√a, √(c − b²/a)]]
  const [a, b, c] = [4, 2, 5];
  const L = choleskyFactor(Float64Array.from([a, b, b, c]), 2);
  assert.ok(maxRelDiff(L, [2, 0, 1, 2]) < 1e-15);
  assert.ok(maxRelDiff(L, [Math.sqrt(a), 0, b / Math.sqrt(a), Math.sqrt(c - (b * b) / a)]) < 1e-15);
});

test('choleskyFactor and choleskySolve match numpy fixtures', () => {
  for (const c of loadNumpyFixtures().cases) {
    const L = choleskyFactor(Float64Array.from(c.spd), c.n);
    assert.ok(maxRelDiff(L, c.cholesky) < 1e-12, `L n=${c.n}`);
    const x = choleskySolve(L, c.n, c.rhs, c.m);
    assert.ok(maxRelDiff(x, c.solution) < 1e-9, `X n=${c.n}`);
  }
});

test('solveSpd residual ‖(A+λI)X − B‖ is tiny on random SPD systems', () => {
  const rnd = seededUniform(3);
  for (const n of [1, 3, 16, 33]) {
    const m = 2;
    const g = Float64Array.from({ length: (n + 2) * n }, () => rnd() - 0.5);
    const a = new Float64Array(n * n);
    for (let r = 0; r < n + 2; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] += g[r * n + i] * g[r * n + j];
    const b = Float64Array.from({ length: n * m }, () => rnd());
    const ridge = 0.01;
    const x = solveSpd(a, n, b, m, ridge);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < m; c++) {
        let s = ridge * x[i * m + c];
        for (let k = 0; k < n; k++) s += a[i * n + k] * x[k * m + c];
        assert.ok(Math.abs(s - b[i * m + c]) < 1e-9, `n=${n} residual ${s - b[i * m + c]}`);
      }
    }
  }
});

test('choleskyFactor names the failing pivot on a non-SPD matrix', () => {
  assert.throws(() => choleskyFactor(Float64Array.from([1, 2, 2, 1]), 2), /not symmetric positive definite: pivot 1 \(of 2\)/);
  assert.throws(() => choleskyFactor(Float64Array.from([0, 0, 0, 1]), 2), /pivot 0/);
  // Singular rank-1 Gram: fails without a ridge, solves with one.
  const a = Float64Array.from([1, 1, 1, 1]);
  assert.throws(() => choleskyFactor(a, 2), /pivot 1/);
  const x = solveSpd(a, 2, [1, 1], 1, 1);
  assert.ok(maxRelDiff(x, [1 / 3, 1 / 3]) < 1e-15);
});

test('shape errors name the argument', () => {
  assert.throws(() => choleskyFactor(new Float64Array(3), 2), /choleskyFactor: A: has 3 values, expected n×n = 2×2 = 4/);
  assert.throws(() => choleskySolve(new Float64Array(4), 2, [1, 2, 3], 2), /choleskySolve: B has 3 values/);
  assert.throws(() => solveSpd(Float64Array.from([1]), 1, [1], 1, -1), /ridge must be/);
});

test('forward and back substitution against hand-multiplied products', () => {
  const l = Float64Array.from([2, 0, 0, 1, 3, 0, -1, 0.5, 4]);
  // X = [[1, 0], [2, 1], [−1, 3]]; L·X and Lᵀ·X by hand.
  const x = [1, 0, 2, 1, -1, 3];
  const lx = Float64Array.from([2, 0, 7, 3, -4, 12.5]);
  const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, i) => Math.abs(v - b[i])));
  assert.ok(maxAbsDiff(solveLowerInPlace(l, 3, lx, 2), x) < 1e-14);
  const ltx = Float64Array.from([2 + 2 + 1, 1 - 3, 6 - 0.5, 3 + 1.5, -4, 12]);
  assert.ok(maxAbsDiff(solveLowerTransposedInPlace(l, 3, ltx, 2), x) < 1e-14);
});
