import { test } from 'node:test';
import assert from 'node:assert/strict';
import { symmetricEigenBlocked } from '../../src/linalg/eigenBlocked.js';
import { symmetricEigen } from '../../src/linalg/eigen.js';
import { tridiagonalEigen, secularRoots } from '../../src/linalg/tridiagonalDc.js';
import { tridiagonalise, applyReflectors, lowerRank2kUpdate } from '../../src/linalg/tridiagonalise.js';
import { gemm64Sync } from '../../src/linalg/dense64.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import type { Linalg } from '../../src/linalg/types.js';
import { seededUniform } from './fixtures.js';
import { pythonHas, runPython } from './python.js';

/** max |VᵀV − I|. */
function orthogonalityError(v: Float64Array, n: number, c = n): number {
  const g = gemm64Sync(v, v, c, n, c, { transposeA: true });
  let worst = 0;
  for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) worst = Math.max(worst, Math.abs(g[i * c + j] - (i === j ? 1 : 0)));
  return worst;
}

/** max |A·V − V·Λ| / max(1, |λ|max). */
function residual(a: Float64Array, values: Float64Array, v: Float64Array, n: number): number {
  const av = gemm64Sync(a, v, n, n, n);
  let worst = 0;
  let scale = 1;
  for (const x of values) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) worst = Math.max(worst, Math.abs(av[i * n + j] - v[i * n + j] * values[j]));
  return worst / scale;
}

/** A random orthogonal n×n matrix: a product of n random Householder reflections. */
function randomOrthogonal(n: number, seed: number): Float64Array {
  const rnd = seededUniform(seed);
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  const u = new Float64Array(n);
  for (let h = 0; h < n; h++) {
    let nn = 0;
    for (let i = 0; i < n; i++) {
      u[i] = rnd() - 0.5;
      nn += u[i] * u[i];
    }
    // Q ← Q·(I − 2uuᵀ/uᵀu)
    for (let r = 0; r < n; r++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += q[r * n + i] * u[i];
      s *= 2 / nn;
      for (let i = 0; i < n; i++) q[r * n + i] -= s * u[i];
    }
  }
  return q;
}

/** Q·diag(λ)·Qᵀ. */
function withSpectrum(q: Float64Array, lambda: number[], n: number): Float64Array {
  const ql = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) ql[i * n + j] = q[i * n + j] * lambda[j];
  return gemm64Sync(ql, q, n, n, n, { transposeB: true });
}

function assertValues(got: Float64Array, want: number[], tol: number, what: string): void {
  const sorted = [...want].sort((x, y) => y - x);
  let scale = 0;
  for (const x of sorted) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < sorted.length; i++) {
    assert.ok(Math.abs(got[i] - sorted[i]) <= tol * Math.max(scale, Number.MIN_VALUE), `${what}: value ${i}: ${got[i]} vs ${sorted[i]}`);
  }
}

const backends: [string, () => Promise<Linalg | undefined>][] = [
  ['TypeScript products', async () => undefined],
  ['onnxruntime float64 products', () => createOnnxLinalg()],
];

test('tridiagonal divide and conquer: Toeplitz tridiag(−1, 2, −1) has λₖ = 2 − 2cos(kπ/(n+1)) and sine eigenvectors', async () => {
  for (const n of [1, 2, 33, 200]) {
    const d = new Float64Array(n).fill(2);
    const e = new Float64Array(n).fill(-1);
    const { values, vectors } = await tridiagonalEigen(d, e, n);
    for (let k = 0; k < n; k++) {
      const want = 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1));
      assert.ok(Math.abs(values[k] - want) <= 1e-13 * 4, `n=${n} k=${k}`);
      // |⟨v, sine vector⟩| = 1
      let dot = 0;
      for (let j = 0; j < n; j++) dot += vectors[j * n + k] * Math.sqrt(2 / (n + 1)) * Math.sin(((j + 1) * (k + 1) * Math.PI) / (n + 1));
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-12, `n=${n} k=${k} dot=${dot}`);
    }
    assert.ok(orthogonalityError(vectors, n) < 1e-13);
  }
});

test('tridiagonal divide and conquer: Wilkinson W⁺ (near-equal pairs) and a split matrix stay orthogonal', async () => {
  const n = 301;
  const d = Float64Array.from({ length: n }, (_, i) => Math.abs(i - (n - 1) / 2));
  const e = new Float64Array(n).fill(1);
  e[100] = 0; // an exact split
  const { values, vectors } = await tridiagonalEigen(d, e, n);
  assert.ok(orthogonalityError(vectors, n) < 1e-12);
  // T·v = λ·v
  let worst = 0;
  for (let j = 0; j < n; j++) {
    for (let r = 0; r < n; r++) {
      let s = (d[r] - values[j]) * vectors[r * n + j];
      if (r > 0) s += e[r - 1] * vectors[(r - 1) * n + j];
      if (r < n - 1) s += e[r] * vectors[(r + 1) * n + j];
      worst = Math.max(worst, Math.abs(s));
    }
  }
  assert.ok(worst < 1e-12 * 150, `residual ${worst}`);
  for (let j = 1; j < n; j++) assert.ok(values[j] >= values[j - 1]);
});

test('secular equation roots interlace the poles and zero the secular function', () => {
  const d = Float64Array.from([0, 1, 1.5, 4]);
  const z = Float64Array.from([0.5, 0.5, 0.5, 0.5]);
  const rho = 2;
  const { origin, tau } = secularRoots(d, z, rho);
  for (let i = 0; i < 4; i++) {
    const lambda = d[origin[i]] + tau[i];
    assert.ok(lambda > d[i] && (i === 3 ? lambda < d[3] + rho : lambda < d[i + 1]));
    let f = 1;
    for (let j = 0; j < 4; j++) f += (rho * z[j] * z[j]) / (d[j] - lambda);
    assert.ok(Math.abs(f) < 1e-12, `root ${i}: f=${f}`);
  }
});

for (const [label, make] of backends) {
  test(`symmetricEigenBlocked on Q·Λ·Qᵀ with known Λ, repeated eigenvalues included (${label})`, async () => {
    const linalg = await make();
    try {
      const n = 150;
      const q = randomOrthogonal(n, 11);
      // 40 copies of 3, 30 of −1, a cluster 1 ± 1e-12 and a spread rest.
      const lambda = Array.from({ length: n }, (_, i) => (i < 40 ? 3 : i < 70 ? -1 : i < 72 ? 1 + (i - 70.5) * 2e-12 : 5 + Math.sin(i) * 4));
      const a = withSpectrum(q, lambda, n);
      const { values, vectors } = await symmetricEigenBlocked(a, n, { linalg });
      assertValues(values, lambda, 1e-12, 'QΛQᵀ');
      assert.ok(orthogonalityError(vectors, n) < 1e-12);
      assert.ok(residual(a, values, vectors, n) < 1e-12);
      // The eigenspace of 3 is Q's first 40 columns: the projection of each computed vector onto it has norm 1.
      for (let j = 0; j < n; j++) {
        if (Math.abs(values[j] - 3) > 1e-9) continue;
        let norm2 = 0;
        for (let c = 0; c < 40; c++) {
          let dot = 0;
          for (let r = 0; r < n; r++) dot += q[r * n + c] * vectors[r * n + j];
          norm2 += dot * dot;
        }
        assert.ok(Math.abs(norm2 - 1) < 1e-11, `vector ${j} leaves the eigenspace: ${norm2}`);
      }
    } finally {
      await linalg?.dispose?.();
    }
  });

  test(`symmetricEigenBlocked: zero matrix, rank-deficient Gram, tridiagonal Toeplitz (${label})`, async () => {
    const linalg = await make();
    try {
      const n = 130;
      const zero = await symmetricEigenBlocked(new Float64Array(n * n), n, { linalg });
      assert.ok(zero.values.every((v) => v === 0));
      assert.ok(orthogonalityError(zero.vectors, n) < 1e-14);
      // Gram of a 20×n matrix: rank 20, n − 20 zero eigenvalues; the non-zero ones are the eigenvalues of X·Xᵀ.
      const rnd = seededUniform(3);
      const x = Float64Array.from({ length: 20 * n }, () => rnd() - 0.5);
      const g = gemm64Sync(x, x, n, 20, n, { transposeA: true });
      const small = symmetricEigen(gemm64Sync(x, x, 20, n, 20, { transposeB: true }), 20);
      const r = await symmetricEigenBlocked(g, n, { linalg });
      for (let i = 0; i < 20; i++) assert.ok(Math.abs(r.values[i] - small.values[i]) < 1e-12 * small.values[0]);
      for (let i = 20; i < n; i++) assert.ok(Math.abs(r.values[i]) < 1e-13 * small.values[0]);
      assert.ok(orthogonalityError(r.vectors, n) < 1e-12);
      assert.ok(residual(g, r.values, r.vectors, n) < 1e-12);
      // Dense Toeplitz tridiagonal as a full matrix.
      const t = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        t[i * n + i] = 2;
        if (i > 0) t[i * n + i - 1] = t[(i - 1) * n + i] = -1;
      }
      const rt = await symmetricEigenBlocked(t, n, { linalg });
      assertValues(rt.values, Array.from({ length: n }, (_, k) => 2 - 2 * Math.cos(((k + 1) * Math.PI) / (n + 1))), 1e-13, 'Toeplitz');
    } finally {
      await linalg?.dispose?.();
    }
  });
}

test('tridiagonalise + applyReflectors: Q·T·Qᵀ rebuilds A, Q orthogonal (odd panel width)', async () => {
  const n = 77;
  const rnd = seededUniform(12);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd() - 0.5;
  const { d, e, panels } = await tridiagonalise(a, n, { block: 5 });
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  await applyReflectors(panels, q, n, n);
  assert.ok(orthogonalityError(q, n) < 1e-14);
  const t = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    t[i * n + i] = d[i];
    if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = e[i];
  }
  const back = gemm64Sync(gemm64Sync(q, t, n, n, n), q, n, n, n, { transposeB: true });
  let worst = 0;
  for (let i = 0; i < n * n; i++) worst = Math.max(worst, Math.abs(back[i] - a[i]));
  assert.ok(worst < 1e-14 * n, `‖QTQᵀ − A‖ = ${worst}`);
});

test('tridiagonalise reads only the lower triangle: garbage above the diagonal gives the same tridiagonal', async () => {
  const n = 300; // > 256 trailing rows: the lower-triangle update runs in more than one band
  const rnd = seededUniform(5);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd() - 0.5;
  const lowerOnly = Float64Array.from(a);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) lowerOnly[i * n + j] = 1e6 * (rnd() - 0.5);
  const full = await tridiagonalise(a, n, { threads: 1 });
  const lower = await tridiagonalise(lowerOnly, n, { threads: 1 });
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(full.d[i] - lower.d[i]) <= 1e-13, `d[${i}]`);
    assert.ok(Math.abs(Math.abs(full.e[i]) - Math.abs(lower.e[i])) <= 1e-13, `e[${i}]`);
  }
});

test('lowerRank2kUpdate subtracts V·Wᵀ + W·Vᵀ from the lower triangle only, over several row bands', async () => {
  const n = 700;
  const q0 = 90;
  const jb = 7;
  const m2 = n - q0;
  const rnd = seededUniform(8);
  const w = Float64Array.from({ length: n * n }, () => rnd());
  const before = Float64Array.from(w);
  const v = Float64Array.from({ length: m2 * jb }, () => rnd() - 0.5);
  const wt = Float64Array.from({ length: m2 * jb }, () => rnd() - 0.5);
  await lowerRank2kUpdate(w, n, q0, v, wt, jb);
  let worst = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let want = before[i * n + j];
      if (i >= q0 && j >= q0 && j <= i) {
        for (let t = 0; t < jb; t++) want -= v[(i - q0) * jb + t] * wt[(j - q0) * jb + t] + wt[(i - q0) * jb + t] * v[(j - q0) * jb + t];
      }
      worst = Math.max(worst, Math.abs(w[i * n + j] - want));
    }
  }
  assert.ok(worst < 1e-13, `max error ${worst}`);
});

test('symmetricEigenBlocked matches numpy.linalg.eigh on a random symmetric 300×300', { skip: !pythonHas('numpy') && 'numpy not installed in /usr/bin/python3' }, async () => {
  const n = 300;
  const rnd = seededUniform(21);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd() - 0.5;
  const want: number[] = runPython('import numpy as np\nA = np.array(inp["a"]).reshape(inp["n"], inp["n"])\nprint(json.dumps(np.linalg.eigvalsh(A)[::-1].tolist()))', { a: Array.from(a), n });
  const linalg = await createOnnxLinalg();
  try {
    const { values, vectors } = await symmetricEigenBlocked(a, n, { linalg });
    for (let i = 0; i < n; i++) assert.ok(Math.abs(values[i] - want[i]) <= 1e-10 * Math.abs(want[0]), `value ${i}`);
    assert.ok(orthogonalityError(vectors, n) < 1e-12);
    assert.ok(residual(a, values, vectors, n) < 1e-12);
  } finally {
    await linalg.dispose?.();
  }
});

test('symmetricEigenBlocked rejects bad input by name', async () => {
  await assert.rejects(symmetricEigenBlocked(new Float64Array(3), 2), /symmetricEigenBlocked: A has 3 values/);
  const bad = new Float64Array(100 * 100);
  bad[5 * 100 + 7] = NaN;
  await assert.rejects(symmetricEigenBlocked(bad, 100), /A\[5\]\[7\] is NaN/);
});

test('threaded tridiagonalisation (symv bands on a worker) gives the single-thread spectrum and orthonormal vectors', async () => {
  const n = 420; // above the threading threshold
  const rnd = seededUniform(41);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd() - 0.5;
  const linalg = await createOnnxLinalg();
  try {
    const one = await symmetricEigenBlocked(a, n, { linalg, threads: 1 });
    const two = await symmetricEigenBlocked(a, n, { linalg, threads: 2 });
    for (let i = 0; i < n; i++) assert.ok(Math.abs(one.values[i] - two.values[i]) < 1e-12 * Math.abs(one.values[0]), `value ${i}`);
    assert.ok(orthogonalityError(two.vectors, n) < 1e-12);
    assert.ok(residual(a, two.values, two.vectors, n) < 1e-12);
    // With the workers up from the first column (at this size they start after the threaded columns).
    const t = await tridiagonalise(a, n, { linalg, threads: 2, awaitWorkers: true });
    const waited = (await tridiagonalEigen(t.d, t.e, n, linalg)).values;
    for (let i = 0; i < n; i++) assert.ok(Math.abs(waited[n - 1 - i] - one.values[i]) < 1e-12 * Math.abs(one.values[0]), `awaited workers: value ${i}`);
  } finally {
    await linalg.dispose?.();
  }
});

test('tridiagonalisation on the TypeScript symmetric product (simd: false) gives the SIMD path spectrum, threaded and not', async () => {
  const n = 420;
  const rnd = seededUniform(43);
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rnd() - 0.5;
  const spectrum = async (simd: boolean, threads: number) => {
    const t = await tridiagonalise(a, n, { simd, threads, awaitWorkers: true });
    return (await tridiagonalEigen(t.d, t.e, n)).values;
  };
  const want = await spectrum(true, 1);
  for (const [simd, threads] of [[false, 1], [false, 2], [true, 2]] as const) {
    const got = await spectrum(simd, threads);
    for (let i = 0; i < n; i++) assert.ok(Math.abs(got[i] - want[i]) < 1e-12 * Math.abs(want[n - 1]), `simd ${simd} threads ${threads}: value ${i}`);
  }
});
