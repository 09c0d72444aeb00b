import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateProbe, evaluateProbeOnColumns, scoreAccuracy } from '../../src/probe/evaluate.js';
import { SeededRng } from '../../src/util/random.js';

test('arg-max with bias, ties to the lowest class, per-class accuracy with NaN for absent classes', () => {
  const scores = [1, 0, 0, -9, /* row 1 */ 0, 2, 0, -9, /* row 2 (tie) */ 1, 1, 0, -9, /* row 3 */ 0, 0, 0, -9];
  const ev = scoreAccuracy(scores, [0, 0, 0.5, 0], Int32Array.from([0, 1, 1, 2]), 4);
  assert.deepEqual(Array.from(ev.predictions), [0, 1, 0, 2]);
  assert.equal(ev.accuracy, 0.75);
  assert.deepEqual(Array.from(ev.perClassAccuracy.subarray(0, 3)), [1, 0.5, 1]);
  assert.ok(Number.isNaN(ev.perClassAccuracy[3]));
});

test('evaluateProbe computes X·W + b', async () => {
  // x = [1, 2] → scores [1·1 + 2·0, 1·0 + 2·1] + b = [1, 2] + [1.5, 0] → class 0.
  const model = { k: 2, classes: 2, weights: Float64Array.from([1, 0, 0, 1]), bias: Float64Array.from([1.5, 0]) };
  const ev = await evaluateProbe(model, { data: Float32Array.from([1, 2, 3, 1]), n: 2, d: 2 }, Int32Array.from([0, 0]));
  assert.deepEqual(Array.from(ev.predictions), [0, 0]);
  await assert.rejects(evaluateProbe(model, { data: new Float32Array(3), n: 1, d: 3 }, Int32Array.from([0])), /model expects k=2/);
});

test('evaluatePrefixes equals evaluating each head on its own gathered prefix', async () => {
  const { loadProbeReference } = await import('./fixture.js');
  const { RidgeGram } = await import('../../src/probe/ridge.js');
  const { gatherColumns } = await import('../../src/probe/features.js');
  const { evaluatePrefixes } = await import('../../src/probe/evaluate.js');
  const ref = loadProbeReference();
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const order = Int32Array.from([5, 2, 7, 0, 3]);
  const models = await gram.fitPrefixes(order, [5, 1, 3], { l2: 1e-3 });
  const batched = await evaluatePrefixes(models, ref.test, order, ref.testLabels);
  for (let j = 0; j < models.length; j++) {
    const alone = await evaluateProbe(models[j], gatherColumns(ref.test, order.subarray(0, models[j].k)), ref.testLabels);
    assert.equal(batched[j].accuracy, alone.accuracy);
    assert.deepEqual(batched[j].predictions, alone.predictions);
  }
});

test('evaluateProbeOnColumns equals the float64 arg-max of X[:, S]·W + b, wide (scattered), narrow (gathered) and repeated columns', async () => {
  const rng = new SeededRng(5);
  const n = 400, d = 64, C = 4;
  const x = { data: Float32Array.from({ length: n * d }, () => rng.nextNormal()), n, d };
  const labels = Int32Array.from({ length: n }, () => rng.below(C));
  for (const cols of [Int32Array.from({ length: 40 }, (_, i) => (i * 7) % d), Int32Array.from([3, 9]), Int32Array.from([5, 11, 5, 20, 31, 40, 41, 50, 2])]) {
    const k = cols.length;
    const model = { k, classes: C, weights: Float64Array.from({ length: k * C }, () => rng.nextNormal()), bias: Float64Array.from({ length: C }, () => rng.nextNormal()) };
    const ev = await evaluateProbeOnColumns(model, x, cols, labels);
    let correct = 0;
    for (let i = 0; i < n; i++) {
      let best = 0, bestScore = -Infinity;
      for (let c = 0; c < C; c++) {
        let s = model.bias[c];
        for (let t = 0; t < k; t++) s += x.data[i * d + cols[t]] * model.weights[t * C + c];
        if (s > bestScore) { bestScore = s; best = c; }
      }
      assert.equal(ev.predictions[i], best, `k=${k}, row ${i}`);
      if (best === labels[i]) correct++;
    }
    assert.equal(ev.accuracy, correct / n);
  }
  const model = { k: 2, classes: 2, weights: new Float64Array(4), bias: new Float64Array(2) };
  await assert.rejects(evaluateProbeOnColumns(model, x, Int32Array.from([1]), labels), /model expects k=2 features, got 1 indices/);
  await assert.rejects(evaluateProbeOnColumns({ ...model, k: 9, weights: new Float64Array(18) }, x, Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7, 64]), labels), /index 64 outside 0..63/);
});

test('a non-finite value outside the subset does not reach the scores: the scattered product falls back to gathering', async () => {
  const rng = new SeededRng(9);
  const n = 50, d = 16, C = 3;
  const x = { data: Float32Array.from({ length: n * d }, () => rng.nextNormal()), n, d };
  x.data[7 * d + 15] = Infinity;
  x.data[20 * d + 14] = NaN;
  const labels = Int32Array.from({ length: n }, () => rng.below(C));
  const cols = Int32Array.from([0, 3, 5, 8, 9, 11]); // 6 ≥ d/8: the scattered path
  const model = { k: cols.length, classes: C, weights: Float64Array.from({ length: cols.length * C }, () => rng.nextNormal()), bias: new Float64Array(C) };
  const ev = await evaluateProbeOnColumns(model, x, cols, labels);
  for (let i = 0; i < n; i++) {
    let best = 0, bestScore = -Infinity;
    for (let c = 0; c < C; c++) {
      let s = 0;
      for (let t = 0; t < cols.length; t++) s += x.data[i * d + cols[t]] * model.weights[t * C + c];
      if (s > bestScore) { bestScore = s; best = c; }
    }
    assert.equal(ev.predictions[i], best, `row ${i}`);
  }
});
