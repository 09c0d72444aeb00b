import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { computePcaBasis, computePcaLowrankBasis, pcaProjectionMatrix } from '../../src/select/pca.js';
import { selectNeurons } from '../../src/select/selection.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';

const fx = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'pca_lowrank_fixtures.json'), 'utf8')) as {
  torch: string;
  cases: { name: string; n: number; d: number; q: number; niter: number; train: number[]; values: number[]; vectors: number[] }[];
};

/** |cos| between column j of a (d×ca) and column j of b (d×cb). */
function absCos(a: ArrayLike<number>, ca: number, b: ArrayLike<number>, cb: number, d: number, j: number): number {
  let ab = 0, aa = 0, bb = 0;
  for (let i = 0; i < d; i++) {
    ab += a[i * ca + j] * b[i * cb + j];
    aa += a[i * ca + j] ** 2;
    bb += b[i * cb + j] ** 2;
  }
  return Math.abs(ab) / Math.sqrt(aa * bb);
}

for (const c of fx.cases) {
  test(`pca-lowrank equals torch ${fx.torch} pca_lowrank (${c.name}): S²/(n−1) and the top directions`, async () => {
    const train = { data: Float32Array.from(c.train), n: c.n, d: c.d };
    const linalg = await createOnnxLinalg();
    try {
      const basis = await computePcaLowrankBasis(train, { seed: 1, q: c.q, niter: c.niter, linalg });
      assert.equal(basis.columns, c.q);
      assert.equal(basis.vectors.length, c.d * c.q);
      // Directions whose values are well separated from their neighbours (decay ≥ 0.8 per step) are unique up to sign.
      const top = c.q === 6 ? 3 : 8;
      for (let j = 0; j < top; j++) {
        assert.ok(Math.abs(basis.values[j] - c.values[j]) <= 1e-4 * c.values[j], `value ${j}: ${basis.values[j]} vs torch ${c.values[j]}`);
        assert.ok(absCos(basis.vectors, c.q, c.vectors, c.q, c.d, j) > 1 - 1e-6, `direction ${j}`);
      }
    } finally {
      await linalg.dispose?.();
    }
  });
}

test('pca-lowrank with q = min(n, d) equals the exact PCA (a full-rank range finder is exact), deterministic per seed', async () => {
  const c = fx.cases[0];
  const train = { data: Float32Array.from(c.train), n: c.n, d: c.d };
  const exact = await computePcaBasis(train);
  const a = await computePcaLowrankBasis(train, { seed: 7 });
  assert.equal(a.columns, Math.min(c.n, c.d));
  for (let j = 0; j < 10; j++) {
    assert.ok(Math.abs(a.values[j] - exact.values[j]) <= 1e-4 * exact.values[j]);
    assert.ok(absCos(a.vectors, c.d, exact.vectors, c.d, c.d, j) > 1 - 1e-6);
  }
  const again = await computePcaLowrankBasis({ data: Float32Array.from(c.train), n: c.n, d: c.d }, { seed: 7 });
  assert.deepEqual(Array.from(again.vectors), Array.from(a.vectors));
});

test('selectNeurons pca-lowrank / pca-lowrank-bottom: seed required, k bounded by q, projections from the basis', async () => {
  const c = fx.cases[2];
  const train = { data: Float32Array.from(c.train), n: c.n, d: c.d };
  await assert.rejects(selectNeurons({ d: c.d, k: 2, method: 'pca-lowrank', train }), /needs a seed/);
  const sel = await selectNeurons({ d: c.d, k: 2, method: 'pca-lowrank', seed: 3, train, lowrank: { q: 6 } });
  assert.equal(sel.seed, 3);
  const basis = await computePcaLowrankBasis(train, { seed: 3, q: 6 });
  assert.deepEqual(Array.from(sel.projection!.matrix), Array.from(pcaProjectionMatrix(basis, 2, 'top')));
  const bottom = await selectNeurons({ d: c.d, k: 2, method: 'pca-lowrank-bottom', seed: 3, train, lowrank: { q: 6 } });
  assert.deepEqual(Array.from(bottom.projection!.matrix), Array.from(pcaProjectionMatrix(basis, 2, 'bottom')));
  await assert.rejects(selectNeurons({ d: c.d, k: 7, method: 'pca-lowrank', seed: 3, train, lowrank: { q: 6 } }), /k must be an integer in \[1, 6\]/);
  assert.throws(() => computePcaLowrankBasis(train, { seed: 3, q: 31 }), /q must be an integer in \[1, min\(n, d\) = 30\]/);
});
