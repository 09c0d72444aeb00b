import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { applySelection, selectNeurons } from '../../src/select/selection.js';
import { randomNeuronIndices } from '../../src/select/randomNeurons.js';
import { torchRandperm } from '../../src/select/torchRandom.js';

const fx = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'pca_fixtures.json'), 'utf8')) as {
  n: number; m: number; d: number; train: number[]; test: number[]; kTop: number; kBottom: number;
  topRaw: number[]; topCentred: number[]; bottomRaw: number[];
};
const train = { data: Float32Array.from(fx.train), n: fx.n, d: fx.d };
const testBlock = { data: Float32Array.from(fx.test), n: fx.m, d: fx.d };

/** Equal up to the sign of each column (eigenvectors have no sign). */
function assertColumnsUpToSign(got: Float32Array, want: number[], rows: number, cols: number, tol: number): void {
  for (let j = 0; j < cols; j++) {
    let dp = 0;
    for (let i = 0; i < rows; i++) dp += got[i * cols + j] * want[i * cols + j];
    const sign = dp >= 0 ? 1 : -1;
    for (let i = 0; i < rows; i++) {
      const w = want[i * cols + j];
      assert.ok(Math.abs(sign * got[i * cols + j] - w) < tol * (1 + Math.abs(w)), `row ${i} col ${j}: ${got[i * cols + j]} vs ${w}`);
    }
  }
}

test('random selection: k from a fraction, indices in pick order plus sorted, torch option', async () => {
  const sel = await selectNeurons({ d: 2048, fraction: 0.1, seed: 1 });
  assert.equal(sel.k, 204);
  assert.equal(sel.fraction, 0.1);
  assert.equal(sel.method, 'random');
  assert.deepEqual(sel.indices, randomNeuronIndices(2048, 204, 1));
  assert.deepEqual(sel.sortedIndices, Int32Array.from(sel.indices!).sort());
  const torch = await selectNeurons({ d: 2048, k: 20, seed: 3, rng: 'torch' });
  assert.deepEqual(torch.indices, torchRandperm(2048, 3, 20));
  assert.equal(torch.fraction, 20 / 2048);
});

test('first-k selection is neurons 0..k-1', async () => {
  const sel = await selectNeurons({ d: 10, k: 4, method: 'first' });
  assert.deepEqual(Array.from(sel.indices!), [0, 1, 2, 3]);
});

test('applySelection gathers columns in pick order', async () => {
  const x = { data: Float32Array.from({ length: 12 }, (_, i) => i), n: 3, d: 4 };
  const out = await applySelection(x, { method: 'random', k: 2, d: 4, fraction: 0.5, indices: Int32Array.from([3, 1]) });
  assert.deepEqual(Array.from(out.data), [3, 1, 7, 5, 11, 9]);
  assert.equal(out.d, 2);
});

test('PCA top-k and bottom-k projections equal numpy eigh projections (uncentred, the default)', async () => {
  const top = await selectNeurons({ d: fx.d, k: fx.kTop, method: 'pca', train });
  assert.equal(top.projection!.mean, undefined);
  assertColumnsUpToSign((await applySelection(testBlock, top)).data, fx.topRaw, fx.m, fx.kTop, 1e-5);
  const bottom = await selectNeurons({ d: fx.d, k: fx.kBottom, method: 'pca-bottom', train });
  assertColumnsUpToSign((await applySelection(testBlock, bottom)).data, fx.bottomRaw, fx.m, fx.kBottom, 1e-5);
});

test('PCA with centre subtracts the training mean', async () => {
  const sel = await selectNeurons({ d: fx.d, k: fx.kTop, method: 'pca', train, centre: true });
  assert.ok(sel.projection!.mean);
  assertColumnsUpToSign((await applySelection(testBlock, sel)).data, fx.topCentred, fx.m, fx.kTop, 1e-5);
});

test('random projections go through applySelection as x·P', async () => {
  const sel = await selectNeurons({ d: fx.d, k: 3, method: 'randproj', seed: 2 });
  const out = await applySelection(testBlock, sel);
  const p = sel.projection!.matrix;
  for (let i = 0; i < fx.m; i++) {
    for (let j = 0; j < 3; j++) {
      let s = 0;
      for (let a = 0; a < fx.d; a++) s += testBlock.data[i * fx.d + a] * p[a * 3 + j];
      assert.ok(Math.abs(out.data[i * 3 + j] - s) < 1e-5 * (1 + Math.abs(s)));
    }
  }
  const g = await selectNeurons({ d: fx.d, fraction: 0.5, method: 'randproj-gaussian', seed: 2 });
  assert.equal(g.k, 4);
  assert.ok(g.projection!.matrix.some((v) => v < 0));
});

test('selectNeurons explains what is missing or wrong', async () => {
  await assert.rejects(selectNeurons({ d: 10, fraction: 0.5 }), /needs a seed/);
  await assert.rejects(selectNeurons({ d: 10, fraction: 0.5, k: 3, seed: 1 }), /exactly one of fraction or k/);
  await assert.rejects(selectNeurons({ d: 10, k: 11, seed: 1 }), /k must be an integer in \[1, 10\]/);
  await assert.rejects(selectNeurons({ d: 10, k: 2, method: 'pca' }), /needs training features/);
  await assert.rejects(selectNeurons({ d: 9, k: 2, method: 'pca', train }), /train has 8 columns but d=9/);
  await assert.rejects(selectNeurons({ d: 10, k: 2, method: 'bogus' as never }), /method must be one of/);
  await assert.rejects(applySelection(testBlock, { method: 'first', k: 1, d: 9, fraction: 1 / 9, indices: Int32Array.of(0) }), /for d=9/);
});
