import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fewShotRows, seededOrder, subsetSplit } from '../../src/experiments/source.js';

test('seededOrder is a deterministic permutation that depends on the seed', () => {
  const a = seededOrder(50, 3);
  assert.deepEqual(Array.from(a).sort((x, y) => x - y), Array.from({ length: 50 }, (_, i) => i));
  assert.deepEqual(a, seededOrder(50, 3));
  assert.notDeepEqual(a, seededOrder(50, 4));
});

test('fewShotRows picks exactly perClass rows of every class (fewer when a class is small)', () => {
  const labels = Int32Array.from({ length: 100 }, (_, i) => (i < 95 ? i % 3 : 3));
  const rows = fewShotRows(labels, 4, 0);
  const counts = [0, 0, 0, 0];
  for (const r of rows) counts[labels[r]]++;
  assert.deepEqual(counts, [4, 4, 4, 4]);
  assert.deepEqual(Array.from(rows), Array.from(rows).sort((x, y) => x - y));
  assert.equal(fewShotRows(labels, 10, 0).length, 35);
});

test('subsetSplit copies the chosen rows and relabels model and task', () => {
  const split = { features: { data: Float32Array.from([0, 1, 2, 3, 4, 5]), n: 3, d: 2 }, labels: Int32Array.from([7, 8, 9]) };
  const s = subsetSplit(split, Int32Array.from([2, 0]), { model: 'm', task: 't' });
  assert.deepEqual(Array.from(s.features.data), [4, 5, 0, 1]);
  assert.deepEqual(Array.from(s.labels), [9, 7]);
  assert.equal(s.meta?.modelId, 'm');
  assert.equal(s.meta?.datasetId, 't');
});
