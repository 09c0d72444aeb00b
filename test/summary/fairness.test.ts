import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { fairnessTable, perClassAccuracyMatrix, perClassAccuracyTable } from '../../src/summary/fairness.js';
import { gini } from '../../src/summary/inequality.js';

const results = aq.from([
  { model: 'a', dataset: 'x', fraction: 0.5, k: 4, seed: 1, accuracy: 0.5, perClassAccuracy: [0.2, 0.8, 0.5] },
  { model: 'a', dataset: 'x', fraction: 0.5, k: 4, seed: 2, accuracy: 0.6, perClassAccuracy: [0.4, 1.0, 0.4] },
  { model: 'a', dataset: 'x', fraction: 1, k: 8, seed: 1, accuracy: 0.9, perClassAccuracy: [0.9, 0.9, 0.9] },
  { model: 'b', dataset: 'x', fraction: 1, k: 8, seed: 1, accuracy: 0.7, perClassAccuracy: [0.6, 0.7, 0.8] },
]);

test('per-class matrix is classes × fractions, mean over seeds', () => {
  const m = perClassAccuracyMatrix(results.filter((d: any) => d.model === 'a'));
  assert.deepEqual(m.fractions, [0.5, 1]);
  assert.equal(m.classes, 3);
  const expected = [0.3, 0.9, 0.9, 0.9, 0.45, 0.9];
  m.data.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-12, `${i}: ${v}`));
});

test('long per-class table has one row per series × fraction × class', () => {
  const t = perClassAccuracyTable(results);
  assert.equal(t.numRows(), 9);
  const row = t.objects().find((r: any) => r.model === 'a' && r.fraction === 0.5 && r.classIndex === 2) as any;
  assert.ok(Math.abs(row.accuracy - 0.45) < 1e-12);
});

test('fairness table: Gini of the seed-averaged per-class vector, max−min, CV, overall accuracy', () => {
  const t = fairnessTable(results).objects() as any[];
  assert.equal(t.length, 3);
  const a05 = t.find((r) => r.model === 'a' && r.fraction === 0.5);
  assert.ok(Math.abs(a05.gini - gini([0.3, 0.9, 0.45])) < 1e-15);
  assert.ok(Math.abs(a05.maxMinGap - 0.6) < 1e-12);
  assert.ok(Math.abs(a05.accuracyMean - 0.55) < 1e-12);
  assert.equal(a05.k, 4);
  assert.equal(a05.classes, 3);
  const a1 = t.find((r) => r.model === 'a' && r.fraction === 1);
  assert.ok(Math.abs(a1.gini) < 1e-12);
  assert.equal(a1.cv, 0);
});

test('fairness rejects runs with different class counts and tables without per-class lists', () => {
  const bad = aq.from([
    { fraction: 1, seed: 1, accuracy: 1, perClassAccuracy: [1, 1] },
    { fraction: 1, seed: 2, accuracy: 1, perClassAccuracy: [1, 1, 1] },
  ]);
  assert.throws(() => fairnessTable(bad), /number of classes/);
  assert.throws(() => fairnessTable(aq.from([{ fraction: 1, accuracy: 1 }])), /missing column\(s\) perClassAccuracy/);
});
