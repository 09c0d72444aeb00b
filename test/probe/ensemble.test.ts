import { test } from 'node:test';
import assert from 'node:assert/strict';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { disjointSubsetEnsemble } from '../../src/probe/ensemble.js';
import { fitRidgeProbe } from '../../src/probe/ridge.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { gatherColumns, gatherRows } from '../../src/probe/features.js';

// One synthetic layer with diffuse class structure; rows split into train and test.
const { features, labels } = synthesizeFeatures({ n: 1500, d: 60, classes: 4, seed: 7, rank: 6, noise: 2 });
const trainRows = Int32Array.from({ length: 1000 }, (_, i) => i);
const testRows = Int32Array.from({ length: 500 }, (_, i) => 1000 + i);
const train = gatherRows(features, trainRows);
const testBlock = gatherRows(features, testRows);
const trainLabels = Int32Array.from(trainRows, (i) => labels[i]);
const testLabels = Int32Array.from(testRows, (i) => labels[i]);

test('heads are disjoint blocks of one permutation, k = floor(d / heads)', async () => {
  const r = await disjointSubsetEnsemble({ train, trainLabels, test: testBlock, testLabels, heads: 4, seed: 3 });
  assert.equal(r.heads.length, 4);
  const seen = new Set<number>();
  for (const h of r.heads) {
    assert.equal(h.k, 15);
    for (const i of h.indices) { assert.ok(!seen.has(i), `neuron ${i} in two heads`); seen.add(i); }
  }
  assert.equal(r.neurons, 60);
  assert.equal(seen.size, 60);
});

test('the ensemble predicts the arg-max of the heads\' averaged scores (checked row by row)', async () => {
  const r = await disjointSubsetEnsemble({ train, trainLabels, test: testBlock, testLabels, heads: 3, k: 10, seed: 5, l2: 1e-3 });
  // Independent recomputation: fit each head alone, score it, average the score matrices by hand.
  const C = 4;
  const avg = new Float64Array(testBlock.n * C);
  for (const h of r.heads) {
    const model = await fitRidgeProbe(gatherColumns(train, h.indices), trainLabels, { l2: 1e-3, classes: C });
    const x = gatherColumns(testBlock, h.indices);
    for (let i = 0; i < x.n; i++) {
      for (let c = 0; c < C; c++) {
        let s = model.bias[c];
        for (let t = 0; t < model.k; t++) s += x.data[i * model.k + t] * model.weights[t * C + c];
        avg[i * C + c] += s / r.heads.length;
      }
    }
    const own = await evaluateProbe(model, x, testLabels);
    assert.equal(own.accuracy, h.accuracy);
  }
  let mismatches = 0;
  for (let i = 0; i < testBlock.n; i++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (avg[i * C + c] > avg[i * C + best]) best = c;
    if (best !== r.predictions[i]) mismatches++;
  }
  // float32 products in evaluateProbe vs float64 here: only exact near-ties may differ.
  assert.ok(mismatches <= 1, `${mismatches} rows disagree`);
});

test('one head on all neurons is the full-layer probe (column order does not matter)', async () => {
  const r = await disjointSubsetEnsemble({ train, trainLabels, test: testBlock, testLabels, heads: 1, seed: 1 });
  const full = await evaluateProbe(await fitRidgeProbe(train, trainLabels), testBlock, testLabels);
  assert.ok(Math.abs(r.accuracy - full.accuracy) <= 1 / testBlock.n, `${r.accuracy} vs ${full.accuracy}`);
});

test('on a diffusely redundant layer the average of disjoint heads beats the average head', async () => {
  for (const probe of ['ridge', 'softmax'] as const) {
    const r = await disjointSubsetEnsemble({ train, trainLabels, test: testBlock, testLabels, heads: 4, seed: 2, probe });
    assert.ok(r.accuracy > r.meanHeadAccuracy, `${probe}: ensemble ${r.accuracy} vs heads ${r.meanHeadAccuracy}`);
    assert.ok(r.meanHeadAccuracy > 0.3, `${probe}: each head carries signal (chance 0.25), got ${r.meanHeadAccuracy}`);
  }
});

test('bad arguments are clear errors', async () => {
  await assert.rejects(disjointSubsetEnsemble({ train, trainLabels, test: testBlock, testLabels, heads: 0, seed: 1 }), /heads must be an integer in \[1, 60\]/);
  await assert.rejects(disjointSubsetEnsemble({ train, trainLabels, test: testBlock, testLabels, heads: 4, k: 20, seed: 1 }), /h·k ≤ d=60/);
});
