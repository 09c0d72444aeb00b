import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runProbe, type ProbeSelection } from '../../src/probe/run.js';
import { RidgeGram } from '../../src/probe/ridge.js';
import { loadProbeReference } from './fixture.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';

const ref = loadProbeReference();
const trainSplit = { features: ref.train, labels: ref.trainLabels };
const testSplit = { features: ref.test, labels: ref.testLabels };
const subset: ProbeSelection = { method: 'random', k: 4, d: 8, fraction: 0.5, seed: 2, indices: Int32Array.from([6, 1, 4, 3]) };

test('ridge from the shared Gram and from the gathered columns give the same result and fields', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const shared = await runProbe(trainSplit, testSplit, subset, { probe: 'ridge', l2: 1e-3, ridgeGram: gram });
  const alone = await runProbe(trainSplit, testSplit, subset, { probe: 'ridge', l2: 1e-3, keepPredictions: true });
  assert.equal(shared.accuracy, alone.accuracy);
  assert.deepEqual(shared.indices, subset.indices);
  assert.equal(shared.k, 4);
  assert.equal(shared.fraction, 0.5);
  assert.equal(shared.seed, 2);
  assert.equal(shared.selection, 'random');
  assert.equal(shared.probe, 'ridge');
  assert.equal(shared.hyper.l2, 1e-3);
  assert.ok(shared.seconds >= 0);
  assert.equal(shared.perClassAccuracy.length, ref.classes);
  assert.equal(alone.predictions?.length, ref.n_test);
  // Per-class accuracies average back to the overall accuracy with class weights.
  const counts = new Array(ref.classes).fill(0);
  for (const y of ref.testLabels) counts[y]++;
  const recomposed = counts.reduce((s, c, j) => s + c * shared.perClassAccuracy[j], 0) / ref.n_test;
  assert.ok(Math.abs(recomposed - shared.accuracy) < 1e-12);
});

test('softmax on the full layer matches the scikit-learn fixture accuracy', async () => {
  const r = ref.softmax[1];
  const all: ProbeSelection = { method: 'all', k: 8, d: 8, fraction: 1, indices: Int32Array.from({ length: 8 }, (_, i) => i) };
  const res = await runProbe(trainSplit, testSplit, all, { probe: 'softmax', l2: r.l2, softmax: { gtol: 1e-5 } });
  assert.ok(Math.abs(res.accuracy - r.test_accuracy) <= 0.005, `${res.accuracy} vs ${r.test_accuracy}`);
  // 'line-search': the loss reached its float32 evaluation precision (f changes ~1e-9 relative here).
  assert.ok(['gradient', 'loss-change', 'line-search'].includes(String(res.hyper.stop)), String(res.hyper.stop));
  assert.ok(Math.abs(Number(res.hyper.sklearnC) - r.C) < 1e-9 * r.C);
});

test('projection selections run all three probes; standardisation keeps accuracy in range', async () => {
  const k = 3;
  const matrix = new Float32Array(8 * k).map((_, i) => Math.cos(i * 2.3));
  const sel: ProbeSelection = { method: 'randproj', k, d: 8, fraction: k / 8, seed: 1, projection: { matrix, mean: new Float32Array(8).fill(3) } };
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const viaGram = await runProbe(trainSplit, testSplit, sel, { probe: 'ridge', ridgeGram: gram, l2: 1e-3 });
  const direct = await runProbe(trainSplit, testSplit, sel, { probe: 'ridge', l2: 1e-3 });
  assert.equal(viaGram.accuracy, direct.accuracy);
  assert.equal(viaGram.indices, undefined);
  // λ chosen on the held-out rows: the shared Gram's path (full projected moments minus the
  // held-out rows') and the direct one (moments of the projected rows) give one curve and one choice.
  const holdoutGram = await RidgeGram.build(ref.train, ref.trainLabels, { holdout: true });
  const autoViaGram = await runProbe(trainSplit, testSplit, sel, { probe: 'ridge', ridgeGram: holdoutGram });
  const autoDirect = await runProbe(trainSplit, testSplit, sel, { probe: 'ridge' });
  assert.equal(autoViaGram.penalty?.validation.used, true);
  assert.deepEqual(autoViaGram.penalty?.curve.accuracy, autoDirect.penalty?.curve.accuracy);
  // The grid is relative to the features' variance, which the two paths round differently in float32.
  assert.ok(Math.abs(autoViaGram.penalty!.l2 / autoDirect.penalty!.l2 - 1) < 1e-6, `λ ${autoViaGram.penalty!.l2} vs ${autoDirect.penalty!.l2}`);
  assert.equal(autoViaGram.accuracy, autoDirect.accuracy);
  for (const probe of ['softmax', 'sgd-paper'] as const) {
    const res = await runProbe(trainSplit, testSplit, sel, { probe, standardize: true, sgd: { epochs: 10, batchSize: 32 } });
    assert.ok(res.accuracy > 0.5 && res.accuracy <= 1, `${probe}: ${res.accuracy}`);
    assert.equal(res.hyper.standardize, true);
  }
});

test('mismatched shapes are clear errors', async () => {
  const narrow = { data: new Float32Array(ref.n_test * 4), n: ref.n_test, d: 4 };
  await assert.rejects(runProbe(trainSplit, { features: narrow, labels: ref.testLabels }, subset, { probe: 'ridge' }), /train has d=8 features but test has d=4/);
  await assert.rejects(runProbe(trainSplit, testSplit, { ...subset, d: 16 }, { probe: 'ridge' }), /selection was made for d=16/);
  await assert.rejects(runProbe(trainSplit, testSplit, { ...subset, k: 5 }, { probe: 'ridge' }), /4 indices but k=5/);
});

test('softmax with the shared Gram (whitening reused across nested subsets) equals a standalone fit', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const order = Int32Array.from([7, 2, 5, 0, 3, 1]);
  const sel = (k: number): ProbeSelection => ({ method: 'random', k, d: 8, fraction: k / 8, seed: 9, indices: order.subarray(0, k) });
  for (const k of [6, 4]) {
    const shared = await runProbe(trainSplit, testSplit, sel(k), { probe: 'softmax', l2: 3e-2, ridgeGram: gram, softmax: { gtol: 1e-7 } });
    const alone = await runProbe(trainSplit, testSplit, sel(k), { probe: 'softmax', l2: 3e-2, softmax: { gtol: 1e-7 } });
    assert.equal(shared.accuracy, alone.accuracy);
    assert.ok(Math.abs(Number(shared.hyper.loss) - Number(alone.hyper.loss)) < 1e-8);
  }
});

test('softmax on a wide subset reads the training block in place: same λ walk, choice and fit as the gathered columns', async () => {
  // Enough rows for one held-out part (not folds), so the walk runs on the masked block.
  const all = synthesizeFeatures({ n: 1600, d: 16, classes: 4, seed: 3, rank: 4, separation: 0.6, noise: 1 });
  const d = 16;
  const tr = { features: { data: all.features.data.subarray(0, 1200 * d), n: 1200, d }, labels: all.labels.subarray(0, 1200) };
  const te = { features: { data: all.features.data.subarray(1200 * d), n: 400, d }, labels: all.labels.subarray(1200) };
  const holdoutGram = await RidgeGram.build(tr.features, tr.labels, { holdout: true });
  assert.ok(holdoutGram.holdout?.plan.used && !holdoutGram.holdout.plan.folds);
  const indices = Int32Array.from([5, 0, 15, 7, 2, 12, 6, 1, 9, 3, 14, 8, 11]); // 13 ≥ 0.75·16
  const sel: ProbeSelection = { method: 'random', k: indices.length, d, fraction: indices.length / d, seed: 4, indices };
  for (const l2 of ['auto', 3e-3] as const) {
    const inPlace = await runProbe(tr, te, sel, { probe: 'softmax', l2, ridgeGram: holdoutGram, softmax: { gtol: 1e-7 } });
    const gathered = await runProbe(tr, te, sel, { probe: 'softmax', l2, softmax: { gtol: 1e-7 } });
    assert.deepEqual(inPlace.penalty!.curve.l2, gathered.penalty!.curve.l2, `λ ${l2}`);
    assert.deepEqual(inPlace.penalty!.curve.accuracy, gathered.penalty!.curve.accuracy, `λ ${l2}`);
    assert.equal(inPlace.penalty!.l2, gathered.penalty!.l2);
    assert.equal(inPlace.accuracy, gathered.accuracy);
    assert.ok(Math.abs(Number(inPlace.hyper.loss) - Number(gathered.hyper.loss)) <= 1e-7 * Number(gathered.hyper.loss), `λ ${l2}: loss ${inPlace.hyper.loss} vs ${gathered.hyper.loss}`);
  }
});

test('NaN or ±Infinity in the features is an error naming the row and neuron, not a silent class-0 prediction', async () => {
  const bad = Float32Array.from(ref.train.data);
  bad[5 * ref.train.d + 3] = NaN;
  const badTrain = { features: { ...ref.train, data: bad }, labels: ref.trainLabels };
  for (const probe of ['ridge', 'softmax'] as const) {
    await assert.rejects(runProbe(badTrain, testSplit, { ...subset, indices: Int32Array.from([3, 1]), k: 2, fraction: 0.25 }, { probe, l2: 1e-3 }), /train features: row 5, neuron 3: NaN is not finite/);
  }
  await assert.rejects(RidgeGram.build(badTrain.features, ref.trainLabels), /train features: row 5, neuron 3: NaN is not finite/);
  const badTest = Float32Array.from(ref.test.data);
  badTest[2 * ref.test.d + 6] = -Infinity;
  await assert.rejects(runProbe(trainSplit, { features: { ...ref.test, data: badTest }, labels: ref.testLabels }, subset, { probe: 'ridge', l2: 1e-3 }), /scores: row 2, class \d+ is -?Infinity|scores: row 2, class \d+ is NaN/);
});
