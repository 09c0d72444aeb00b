import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import type { FeatureBlock } from '../../src/types.js';
import { linearCka } from '../../src/similarity/linearCka.js';
import { MinibatchCka, minibatchCka, rowSlice } from '../../src/similarity/minibatch.js';
import { directCka, layerLike } from './direct.js';

interface PairCase { n: number; p: number; q: number; x: number[]; y: number[]; debiased: number; batches: [number, number][]; minibatch: number }
const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'similarity', 'cka_fixtures.json'), 'utf8')) as { pairs: PairCase[] };
const block = (values: number[], n: number, d: number): FeatureBlock => ({ data: Float32Array.from(values), n, d });

test('minibatch CKA equals the numpy fixture (sum of per-batch unbiased HSIC, then normalise)', async () => {
  for (const c of fixture.pairs) {
    const x = block(c.x, c.n, c.p);
    const y = block(c.y, c.n, c.q);
    const acc = new MinibatchCka();
    for (const [a, b] of c.batches) await acc.update(rowSlice(x, a, b), rowSlice(y, a, b));
    assert.equal(acc.batches, c.batches.length);
    assert.ok(Math.abs(acc.value() - c.minibatch) < 1e-12, `n=${c.n}: ${acc.value()} vs ${c.minibatch}`);
  }
});

test('minibatch CKA on one batch equals debiased CKA and the direct U-centred form', async () => {
  const x = layerLike(40, 7, 1);
  const y = layerLike(40, 3, 2);
  const one = await minibatchCka(x, y, { batchSize: 40 });
  assert.ok(Math.abs(one - (await linearCka(x, y, { debiased: true }))) < 1e-13);
  assert.ok(Math.abs(one - directCka(x, y, true)) < 1e-10);
});

test('minibatchCka cuts near-equal contiguous batches and drops no row', async () => {
  const x = layerLike(50, 4, 3);
  const y = layerLike(50, 5, 4);
  // 50 rows with batchSize 16 → 4 batches: [0,12) [12,25) [25,37) [37,50).
  const acc = new MinibatchCka();
  for (const [a, b] of [[0, 12], [12, 25], [25, 37], [37, 50]]) await acc.update(rowSlice(x, a, b), rowSlice(y, a, b));
  assert.equal(await minibatchCka(x, y, { batchSize: 16 }), acc.value());
  // Identical representations give exactly 1 whatever the batching.
  assert.ok(Math.abs((await minibatchCka(x, x, { batchSize: 16 })) - 1) < 1e-12);
});

test('minibatch CKA refuses batches too small for the unbiased estimator', async () => {
  const x = layerLike(10, 3, 1);
  await assert.rejects(minibatchCka(x, x, { batchSize: 3 }), /batchSize must be an integer ≥ 4/);
  await assert.rejects(new MinibatchCka().update(rowSlice(x, 0, 3), rowSlice(x, 0, 3)), /at least 4 rows/);
  assert.ok(Number.isNaN(new MinibatchCka().value()));
});
