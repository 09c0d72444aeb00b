import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trainValSplit, perClassSubset, randomFractionSubset } from '../../src/datasets/splits.js';

test('train/val split: 10% validation, disjoint, covering, sorted and deterministic', () => {
  const s = trainValSplit(1000);
  assert.equal(s.val.length, 100);
  assert.equal(s.train.length, 900);
  const all = new Set([...s.train, ...s.val]);
  assert.equal(all.size, 1000);
  for (const a of [s.train, s.val]) for (let i = 1; i < a.length; i++) assert.ok(a[i - 1] < a[i]);
  assert.deepEqual(trainValSplit(1000), s);
  assert.notDeepEqual(trainValSplit(1000, 0.1, 1).val, s.val);
  // CIFAR's 50,000 → 45,000 / 5,000 as in the paper.
  const c = trainValSplit(50000);
  assert.equal(c.train.length, 45000);
  assert.equal(c.val.length, 5000);
});

test('per-class subset takes k of each class', () => {
  const labels = Int32Array.from({ length: 300 }, (_, i) => i % 3);
  const idx = perClassSubset(labels, 10, 0);
  assert.equal(idx.length, 30);
  const counts = [0, 0, 0];
  for (const i of idx) counts[labels[i]]++;
  assert.deepEqual(counts, [10, 10, 10]);
  assert.deepEqual(perClassSubset(labels, 10, 0), idx);
  const small = perClassSubset(Int32Array.from([0, 0, 1]), 5);
  assert.deepEqual(Array.from(small), [0, 1, 2]);
});

test('random fraction subset size', () => {
  assert.equal(randomFractionSubset(60000, 0.1, 0).length, 6000);
  assert.equal(randomFractionSubset(5, 0.01, 0).length, 1);
});
