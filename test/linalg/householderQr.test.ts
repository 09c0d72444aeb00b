import { test } from 'node:test';
import assert from 'node:assert/strict';
import { householderQ } from '../../src/linalg/householderQr.js';
import { gemm64Sync } from '../../src/linalg/dense64.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import { seededUniform } from './fixtures.js';
import { pythonHas, runPython } from './python.js';

function maxAbs(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let w = 0;
  for (let i = 0; i < x.length; i++) w = Math.max(w, Math.abs(x[i] - y[i]));
  return w;
}

test('householderQ: orthonormal columns spanning A (QᵀA upper triangular, Q·QᵀA = A), odd blocks, rank-deficient input', async () => {
  const linalg = await createOnnxLinalg();
  try {
    const rnd = seededUniform(31);
    for (const [m, q, block] of [[200, 70, 16], [90, 90, 7], [50, 1, 32]]) {
      const a = Float64Array.from({ length: m * q }, () => rnd() - 0.5);
      if (q > 3) for (let r = 0; r < m; r++) a[r * q + 3] = a[r * q] * 2; // column 3 = 2·column 0
      for (const l of [undefined, linalg]) {
        const qm = await householderQ(a, m, q, { linalg: l, block });
        const eye = Float64Array.from({ length: q * q }, (_, i) => (i % (q + 1) === 0 ? 1 : 0));
        assert.ok(maxAbs(gemm64Sync(qm, qm, q, m, q, { transposeA: true }), eye) < 1e-13, `orthonormal ${m}×${q}`);
        const r = gemm64Sync(qm, a, q, m, q, { transposeA: true });
        for (let i = 0; i < q; i++) for (let j = 0; j < i; j++) assert.ok(Math.abs(r[i * q + j]) < 1e-13, `R[${i}][${j}] = ${r[i * q + j]}`);
        assert.ok(maxAbs(gemm64Sync(qm, r, m, q, q), a) < 1e-13, 'Q·R = A');
      }
    }
    await assert.rejects(householderQ(new Float64Array(6), 2, 3), /need m ≥ q/);
  } finally {
    await linalg.dispose?.();
  }
});

test('householderQ equals numpy.linalg.qr\'s Q (same LAPACK sign convention)', { skip: !pythonHas('numpy') && 'numpy not installed in /usr/bin/python3' }, async () => {
  const rnd = seededUniform(5);
  const [m, q] = [120, 40];
  const a = Float64Array.from({ length: m * q }, () => rnd() - 0.5);
  const want: number[] = runPython('import numpy as np\nA = np.array(inp["a"]).reshape(inp["m"], inp["q"])\nprint(json.dumps(np.linalg.qr(A)[0].ravel().tolist()))', { a: Array.from(a), m, q });
  assert.ok(maxAbs(await householderQ(a, m, q, { block: 8 }), want) < 1e-13);
});
