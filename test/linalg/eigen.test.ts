import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigen } from '../../src/linalg/eigen.js';
import { loadNumpyFixtures, maxRelDiff, seededUniform } from './fixtures.js';

/** max over j of ‖A·v_j − λ_j·v_j‖ and max |VᵀV − I|. */
function residuals(a: ArrayLike<number>, n: number, values: Float64Array, vectors: Float64Array): { eig: number; orth: number } {
  let eig = 0;
  let orth = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * vectors[k * n + j];
      eig = Math.max(eig, Math.abs(s - values[j] * vectors[i * n + j]));
    }
    for (let l = 0; l < n; l++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += vectors[k * n + j] * vectors[k * n + l];
      orth = Math.max(orth, Math.abs(s - (j === l ? 1 : 0)));
    }
  }
  return { eig, orth };
}

test('diagonal matrix: values sorted descending, vectors are unit axes', () => {
  const { values, vectors } = symmetricEigen(Float64Array.from([1, 0, 0, 0, 3, 0, 0, 0, 2]), 3);
  assert.deepEqual(Array.from(values), [3, 2, 1]);
  assert.deepEqual(Array.from(vectors, Math.abs), [0, 0, 1, 1, 0, 0, 0, 1, 0]);
});

test('2×2 analytic eigenpairs', () => {
  // [[2, 1], [1, 2]]: λ = 3 with (1,1)/√2, λ = 1 with (1,−1)/√2.
  const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 1, 2]), 2);
  assert.ok(maxRelDiff(values, [3, 1]) < 1e-15);
  const r = Math.SQRT1_2;
  assert.ok(Math.abs(Math.abs(vectors[0]) - r) < 1e-15 && Math.abs(vectors[0] - vectors[2]) < 1e-15);
  assert.ok(Math.abs(vectors[1] + vectors[3]) < 1e-15);
});

test('1×1 and 0×0', () => {
  const one = symmetricEigen(Float64Array.from([-5]), 1);
  assert.deepEqual([one.values[0], one.vectors[0]], [-5, 1]);
  assert.equal(symmetricEigen(new Float64Array(0), 0).values.length, 0);
});

test('known spectrum: Q·diag(λ)·Qᵀ with a Householder Q, repeated eigenvalues included', () => {
  const n = 23;
  const rnd = seededUniform(11);
  const u = Float64Array.from({ length: n }, () => rnd() - 0.5);
  const uu = u.reduce((s, v) => s + v * v, 0);
  const lambda = Float64Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 2 : i - 7.5));
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        const qik = (i === k ? 1 : 0) - (2 * u[i] * u[k]) / uu;
        const qjk = (j === k ? 1 : 0) - (2 * u[j] * u[k]) / uu;
        s += qik * lambda[k] * qjk;
      }
      a[i * n + j] = s;
    }
  }
  const { values, vectors } = symmetricEigen(a, n);
  const expected = Array.from(lambda).sort((x, y) => y - x);
  assert.ok(maxRelDiff(values, expected) < 1e-13);
  const r = residuals(a, n, values, vectors);
  assert.ok(r.eig < 1e-12 && r.orth < 1e-12, JSON.stringify(r));
});

test('matches numpy eigh on indefinite symmetric matrices (values, |vectors|, residuals)', () => {
  for (const c of loadNumpyFixtures().cases) {
    const { values, vectors } = symmetricEigen(Float64Array.from(c.sym), c.n);
    assert.ok(maxRelDiff(values, c.eigenvalues) < 1e-12, `values n=${c.n}`);
    // Eigenvectors are defined up to sign: compare column by column after aligning signs.
    for (let j = 0; j < c.n; j++) {
      let dot = 0;
      for (let i = 0; i < c.n; i++) dot += vectors[i * c.n + j] * c.eigenvectors[i * c.n + j];
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-9, `vector ${j} n=${c.n} |dot|=${Math.abs(dot)}`);
    }
    const r = residuals(c.sym, c.n, values, vectors);
    assert.ok(r.eig < 1e-12 && r.orth < 1e-12, `n=${c.n} ${JSON.stringify(r)}`);
  }
});

test('rank-deficient PSD Gram (zeros in the spectrum) and a tridiagonal with zero couplings', () => {
  const rnd = seededUniform(5);
  const n = 12;
  const x = Float64Array.from({ length: 4 * n }, () => rnd());
  const g = new Float64Array(n * n);
  for (let r = 0; r < 4; r++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) g[i * n + j] += x[r * n + i] * x[r * n + j];
  const { values, vectors } = symmetricEigen(g, n);
  for (let j = 4; j < n; j++) assert.ok(Math.abs(values[j]) < 1e-12 * values[0]);
  assert.ok(residuals(g, n, values, vectors).eig < 1e-12);
  const t = Float64Array.from([1, 0, 0, 0, 2, 1, 0, 1, 2]);
  const te = symmetricEigen(t, 3);
  assert.ok(maxRelDiff(te.values, [3, 1, 1]) < 1e-15);
});

test('input errors', () => {
  assert.throws(() => symmetricEigen(new Float64Array(5), 2), /symmetricEigen: A has 5 values, expected n×n = 2×2 = 4/);
  assert.throws(() => symmetricEigen(Float64Array.from([1, NaN, NaN, 1]), 2), /A\[0\]\[1\] is NaN/);
});
