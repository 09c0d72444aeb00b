import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemm64, gemm64Sync, transpose64, copyBlock } from '../../src/linalg/dense64.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import { maxRelDiff, seededUniform } from './fixtures.js';

/** Textbook triple loop, the yardstick. */
function naive(a: Float64Array, b: Float64Array, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += a[i * k + t] * b[t * n + j];
    out[i * n + j] = s;
  }
  return out;
}

test('gemm64Sync equals the triple loop for every transposition, odd sizes', () => {
  const rnd = seededUniform(4);
  const [m, k, n] = [7, 13, 5];
  const a = Float64Array.from({ length: m * k }, () => rnd() - 0.5);
  const b = Float64Array.from({ length: k * n }, () => rnd() - 0.5);
  const want = naive(a, b, m, k, n);
  const at = transpose64(a, m, k);
  const bt = transpose64(b, k, n);
  assert.ok(maxRelDiff(gemm64Sync(a, b, m, k, n), want) < 1e-15);
  assert.ok(maxRelDiff(gemm64Sync(at, b, m, k, n, { transposeA: true }), want) < 1e-15);
  assert.ok(maxRelDiff(gemm64Sync(a, bt, m, k, n, { transposeB: true }), want) < 1e-15);
  assert.ok(maxRelDiff(gemm64Sync(at, bt, m, k, n, { transposeA: true, transposeB: true }), want) < 1e-15);
});

test('onnx matmul64 (native double GEMM) equals the triple loop to float64 rounding, all transpositions', async () => {
  const l = await createOnnxLinalg();
  try {
    assert.equal(l.precision, 'float32');
    assert.ok((l.threads ?? 0) >= 1);
    const rnd = seededUniform(5);
    const [m, k, n] = [90, 101, 70]; // above the native threshold
    const a = Float64Array.from({ length: m * k }, () => rnd() - 0.5);
    const b = Float64Array.from({ length: k * n }, () => rnd() - 0.5);
    const want = naive(a, b, m, k, n);
    const at = transpose64(a, m, k);
    const bt = transpose64(b, k, n);
    for (const [x, y, o] of [[a, b, {}], [at, b, { transposeA: true }], [a, bt, { transposeB: true }], [at, bt, { transposeA: true, transposeB: true }]] as const) {
      const got = await gemm64(l, x, y, m, k, n, o);
      assert.ok(maxRelDiff(got, want) < 1e-14, JSON.stringify(o));
    }
    await assert.rejects(l.matmul64!(a, b, m, k + 1, n), /matmul64: A has/);
  } finally {
    await l.dispose?.();
  }
});

test('gemm64 without a backend uses the TypeScript kernel; shape errors name the operand', async () => {
  const a = Float64Array.from([1, 2, 3, 4]);
  assert.deepEqual(Array.from(await gemm64(undefined, a, a, 2, 2, 2)), [7, 10, 15, 22]);
  await assert.rejects(gemm64(undefined, a, a, 2, 3, 2), /gemm64: A has 4 values, expected 2×3/);
  assert.deepEqual(Array.from(copyBlock(Float64Array.from([1, 2, 3, 4, 5, 6]), 3, 0, 2, 1, 3)), [2, 3, 5, 6]);
});

test('accumulate adds the product into C in place (TypeScript and onnx, every transposition) and checks its shape', async () => {
  const rnd = seededUniform(6);
  const [m, k, n] = [90, 101, 70];
  const a = Float64Array.from({ length: m * k }, () => rnd() - 0.5);
  const b = Float64Array.from({ length: k * n }, () => rnd() - 0.5);
  const c0 = Float64Array.from({ length: m * n }, () => 10 * (rnd() - 0.5));
  const prod = naive(a, b, m, k, n);
  const want = c0.map((v, i) => v + prod[i]);
  const at = transpose64(a, m, k);
  const bt = transpose64(b, k, n);
  const l = await createOnnxLinalg();
  try {
    for (const backend of [undefined, l]) {
      for (const [x, y, o] of [[a, b, {}], [at, b, { transposeA: true }], [a, bt, { transposeB: true }], [at, bt, { transposeA: true, transposeB: true }]] as const) {
        // C is a view into a larger buffer, as the blocked kernels pass it: neighbours stay untouched.
        const buf = new Float64Array(m * n + 6).fill(-7);
        const c = buf.subarray(3, 3 + m * n);
        c.set(c0);
        const got = await gemm64(backend, x, y, m, k, n, { ...o, accumulate: c });
        assert.equal(got, c, 'returns C itself');
        assert.ok(maxRelDiff(c, want) < 1e-13, `${backend ? 'onnx' : 'typescript'} ${JSON.stringify(o)}`);
        assert.deepEqual([buf[0], buf[1], buf[2], buf[m * n + 3], buf[m * n + 5]], [-7, -7, -7, -7, -7]);
      }
    }
    await assert.rejects(gemm64(l, a, b, m, k, n, { accumulate: new Float64Array(m * n - 1) }), /gemm64: accumulate has 6299 values, expected 90×70/);
    await assert.rejects(l.matmul64!(a, b, m, k, n, { accumulate: new Float64Array(3) }), /matmul64: accumulate has 3 values/);
    // C sharing memory with an operand would be read while written: refused on every path.
    const shared = new Float64Array(m * k + m * n);
    const aView = shared.subarray(0, m * k);
    const cView = shared.subarray(m * k - 1, m * k - 1 + m * n);
    await assert.rejects(gemm64(l, aView, b, m, k, n, { accumulate: cView }), /gemm64: accumulate overlaps A in memory/);
    await assert.rejects(l.matmul64!(aView, b, m, k, n, { accumulate: cView }), /matmul64: accumulate overlaps A in memory/);
    const sharedB = new Float64Array(k * n + m * n);
    assert.throws(() => gemm64Sync(a, sharedB.subarray(0, k * n), m, k, n, { accumulate: sharedB.subarray(k * n - 1, k * n - 1 + m * n) }), /gemm64Sync: accumulate overlaps B in memory/);
    // Adjacent views of one buffer do not overlap.
    const adjacent = shared.subarray(m * k, m * k + m * n);
    adjacent.set(c0);
    await gemm64(l, aView.fill(0), b, m, k, n, { accumulate: adjacent });
    assert.deepEqual(Array.from(adjacent), Array.from(c0));
  } finally {
    await l.dispose?.();
  }
});
