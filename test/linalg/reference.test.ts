import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossProductSync, referenceLinalg } from '../../src/linalg/reference.js';
import { loadNumpyFixtures, maxRelDiff } from './fixtures.js';

test('reference Gram and cross product match numpy float64', async () => {
  for (const f of loadNumpyFixtures().grams) {
    assert.ok(maxRelDiff(await referenceLinalg.gram(Float32Array.from(f.x), f.n, f.p), f.gram) < 1e-13);
    assert.ok(maxRelDiff(crossProductSync(f.x, f.y, f.n, f.p, f.q), f.cross) < 1e-13);
  }
});

test('reference hand-computed 2×2 products', async () => {
  const a = Float32Array.from([1, 2, 3, 4]);
  assert.deepEqual(Array.from(await referenceLinalg.gram(a, 2, 2)), [10, 14, 14, 20]);
  assert.deepEqual(Array.from(await referenceLinalg.matmul(a, Float32Array.from([1, 0, 0, 1]), 2, 2, 2)), [1, 2, 3, 4]);
});
