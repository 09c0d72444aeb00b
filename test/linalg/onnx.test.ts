import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import { assertAgreesWithReference } from './agreement.js';
import { seededUniform, maxRelDiff } from './fixtures.js';
import { referenceLinalg } from '../../src/linalg/reference.js';

test('onnx float32 (forced through onnxruntime even for tiny shapes, odd row blocks) agrees with the reference', async () => {
  const l = await createOnnxLinalg({ smallFlops: 0, rowBlock: 37 });
  try {
    await assertAgreesWithReference(l, 2e-6);
  } finally {
    await l.dispose?.();
  }
});

test('onnx float64 agrees with the reference to float64 rounding', async () => {
  const l = await createOnnxLinalg({ precision: 'float64', smallFlops: 0 });
  try {
    assert.equal(l.name, 'onnx-f64');
    await assertAgreesWithReference(l, 1e-13);
  } finally {
    await l.dispose?.();
  }
});

test('onnx default thresholds: small problems in-process, large through onnxruntime, same answers', async () => {
  const l = await createOnnxLinalg();
  const rnd = seededUniform(9);
  const n = 600;
  const p = 64;
  const a = Float32Array.from({ length: n * p }, () => rnd());
  assert.ok(maxRelDiff(await l.gram(a, n, p), await referenceLinalg.gram(a, n, p)) < 2e-6);
  assert.ok(maxRelDiff(await l.gram(a.subarray(0, 3 * p), 3, p), await referenceLinalg.gram(a.subarray(0, 3 * p), 3, p)) < 1e-13);
  await l.dispose?.();
  await l.dispose?.(); // safe twice
});

test('panel Gram (upper-triangle panel products only) equals the one-Gemm Gram, odd panel widths', async () => {
  const rnd = seededUniform(21);
  const n = 131;
  const p = 37;
  const a = Float32Array.from({ length: n * p }, () => Math.max(0, rnd() - 0.4));
  const want = await referenceLinalg.gram(a, n, p);
  for (const [panels, precision, tol] of [[3, 'float32', 2e-6], [5, 'float64', 1e-13], [1, 'float32', 2e-6]] as const) {
    const l = await createOnnxLinalg({ smallFlops: 0, rowBlock: 50, gramPanels: panels, precision });
    const g = await l.gram(a, n, p);
    assert.ok(maxRelDiff(g, want) < tol, `panels=${panels} ${precision}: ${maxRelDiff(g, want)}`);
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) assert.equal(g[i * p + j], g[j * p + i]);
    await l.dispose?.();
  }
});

test('tail-panel Gram (Xᵢᵀ·X[:, sᵢ:] per equal-work panel in one graph) equals the reference, exactly symmetric', async () => {
  const rnd = seededUniform(23);
  const n = 301;
  const p = 530; // ≥ 512: tail panels by default
  const a = Float32Array.from({ length: n * p }, () => Math.max(0, rnd() - 0.4));
  const want = await referenceLinalg.gram(a, n, p);
  for (const tail of [undefined, 2, 7]) {
    const l = await createOnnxLinalg({ smallFlops: 0, rowBlock: 128, gramTailPanels: tail });
    try {
      const g = await l.gram(a, n, p);
      assert.ok(maxRelDiff(g, want) < 2e-6, `tail=${tail}: ${maxRelDiff(g, want)}`);
      for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) assert.equal(g[i * p + j], g[j * p + i]);
    } finally {
      await l.dispose?.();
    }
  }
});

test('matmul with a large output runs in row blocks (uneven last block) and equals the reference, float32 and float64', async () => {
  const rnd = seededUniform(31);
  const m = 4101; // m·n > 4M outputs: blocked; rowBlock 1000 leaves a last block of 101 rows
  const k = 6;
  const n = 1025;
  const a = Float32Array.from({ length: m * k }, () => rnd() - 0.5);
  const b = Float32Array.from({ length: k * n }, () => rnd() - 0.5);
  const want = await referenceLinalg.matmul(a, b, m, k, n);
  for (const precision of ['float32', 'float64'] as const) {
    const l = await createOnnxLinalg({ rowBlock: 1000, precision });
    const got = await l.matmul(a, b, m, k, n);
    assert.equal(got.length, m * n);
    assert.ok(maxRelDiff(got, want) < 1e-5, `${precision}: ${maxRelDiff(got, want)}`);
    assert.ok(Math.abs(got[m * n - 1] - want[m * n - 1]) < 1e-5, 'last row of the last block');
    await l.dispose?.();
  }
});
