import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centredMoments, inverseStdFromGram, subsetMoments } from '../../src/probe/gram.js';
import { maxAbsDiff } from './fixture.js';

test('centred Gram, cross moments and class frequencies on a hand-made block', async () => {
  // x rows (1,2), (3,2), (5,8); labels 0, 1, 1. Means (3, 4); centred rows (−2,−2), (0,−2), (2,4).
  const m = await centredMoments({ data: Float32Array.from([1, 2, 3, 2, 5, 8]), n: 3, d: 2 }, Int32Array.from([0, 1, 1]));
  assert.deepEqual(Array.from(m.mean), [3, 4]);
  assert.deepEqual(Array.from(m.gram), [8, 12, 12, 24]);
  // ȳ = (1/3, 2/3); Σ x_c (y − ȳ)ᵀ = Σ x_c yᵀ (since Σ x_c = 0) = [[−2, 2], [−2, 2]].
  assert.ok(maxAbsDiff(m.xty, [-2, 2, -2, 2]) < 1e-12);
  assert.ok(maxAbsDiff(m.classMean, [1 / 3, 2 / 3]) < 1e-15);
  const s = subsetMoments(m, Int32Array.from([1]));
  assert.deepEqual(Array.from(s.gram), [24]);
  assert.ok(maxAbsDiff(inverseStdFromGram(m), [1 / Math.sqrt(8 / 3), 1 / Math.sqrt(8)]) < 1e-12);
});
