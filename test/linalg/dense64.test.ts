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
