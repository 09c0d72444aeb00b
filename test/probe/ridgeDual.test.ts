// Ridge in the dual (src/probe/ridgeDual.ts, n×n kernels for n < k): the validation curve equals
// the primal (k×k Gram) one, and the pooled 10-shot fold curves, the whole-split head and
// runProbe's 10-shot ridge equal numpy's primal solves (test/fixtures/probe/ridge_folds.py through
// /usr/bin/python3; skipped with a message without numpy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { centredMoments } from '../../src/probe/gram.js';
import { ridgeValidationCurve } from '../../src/probe/penalty.js';
import { fitRidgeDual, ridgeFoldCurvesDual, ridgeValidationCurveDual } from '../../src/probe/ridgeDual.js';
import { planHoldout } from '../../src/probe/validation.js';
import { PROBE_DEFAULTS, relativeL2Grid } from '../../src/probe/defaults.js';
import { runProbe } from '../../src/probe/run.js';
import { RidgeGram } from '../../src/probe/ridge.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { writeNpy } from '../../src/cache/npy.js';
import { packageRoot } from '../../src/util/paths.js';
import { SeededRng } from '../../src/util/random.js';

function block(rng: SeededRng, n: number, d: number, labels: Int32Array): Float32Array {
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) data[i * d + j] = rng.nextNormal() + (j % 5 === labels[i] % 5 ? 1.5 : 0) + (j % 7 === 0 ? 3 : 0);
  return data;
}

for (const standardize of [false, true]) {
  test(`dual ridge validation curve equals the primal one for n < k (standardize ${standardize})`, async () => {
    const rng = new SeededRng(7);
    const n = 30, k = 80, nVal = 25, C = 5;
    const fitLabels = Int32Array.from({ length: n }, (_, i) => i % C);
    const valLabels = Int32Array.from({ length: nVal }, (_, i) => (i * 3) % C);
    const fit = { data: block(rng, n, k, fitLabels), n, d: k };
    const val = { data: block(rng, nVal, k, valLabels), n: nVal, d: k };
    const moments = await centredMoments(fit, fitLabels, { classes: C });
    const lambdas = [10, 1, 0.1, 0.01, 1e-3, 1e-5];
    const primal = await ridgeValidationCurve(moments, val, valLabels, lambdas, { standardize });
    const { accuracy: dual, squaredError: dualError } = await ridgeValidationCurveDual(fit, fitLabels, val, valLabels, lambdas, { classes: C, standardize });
    assert.deepEqual(dual, primal);
    assert.ok(new Set(primal).size > 1, 'the curve varies with λ (the comparison is not trivial)');
    const primalError = await ridgeValidationCurve(moments, val, valLabels, lambdas, { standardize, score: 'squared-error' });
    for (let t = 0; t < lambdas.length; t++) assert.ok(Math.abs(dualError[t] - primalError[t]) <= 1e-4 * primalError[t], `λ=${lambdas[t]}: dual ${dualError[t]} vs primal ${primalError[t]}`);
  });
}

test('dual ridge validation checks shapes', async () => {
  const fitLabels = new Int32Array([0, 1, 0]);
  const fit = { data: new Float32Array(3 * 4).map((_, i) => i % 3), n: 3, d: 4 };
  await assert.rejects(() => ridgeValidationCurveDual(fit, fitLabels.subarray(0, 2), fit, fitLabels, [1], { classes: 2 }), /2 labels for 3 fit rows/);
  await assert.rejects(() => ridgeValidationCurveDual(fit, fitLabels, { data: new Float32Array(6), n: 2, d: 3 }, fitLabels.subarray(0, 2), [1], { classes: 2 }), /held-out rows have 3 columns/);
});

const PY = '/usr/bin/python3';
const haveNumpy = spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const skip = haveNumpy ? false : `${PY} with numpy not found (apt-get install python3-numpy)`;

/** A 10-shot split (10 rows per class, 10 classes) of k ReLU features, and a 500-row test split. */
function tenShot(k: number, seed: number) {
  const all = synthesizeFeatures({ n: 1500, d: k, classes: 10, seed, nonNegative: true, rank: 30 });
  const rows: number[] = [];
  const seen = new Int32Array(10);
  for (let i = 0; i < 1000 && rows.length < 100; i++) if (seen[all.labels[i]]++ < 10) rows.push(i);
  assert.equal(rows.length, 100, 'the synthetic set has 10 rows of every class');
  const data = new Float32Array(100 * k);
  rows.forEach((r, t) => data.set(all.features.data.subarray(r * k, r * k + k), t * k));
  const train = { data, n: 100, d: k };
  const trainLabels = Int32Array.from(rows, (r) => all.labels[r]);
  const test = { data: all.features.data.slice(1000 * k), n: 500, d: k };
  return { train, trainLabels, test, testLabels: all.labels.slice(1000) };
}

async function numpyFolds(x: { data: Float32Array; n: number; d: number }, labels: Int32Array, folds: readonly Int32Array[], grid: number[], finalL2: number, standardize: boolean) {
  const dir = mkdtempSync(join(tmpdir(), 'dr-ridge-folds-'));
  try {
    const foldOf = new Int32Array(x.n);
    folds.forEach((f, j) => { for (const i of f) foldOf[i] = j; });
    await writeNpy(join(dir, 'x.npy'), x.data, [x.n, x.d]);
    await writeNpy(join(dir, 'labels.npy'), labels, [x.n]);
    if (folds.length) await writeNpy(join(dir, 'fold.npy'), foldOf, [x.n]);
    const r = spawnSync(PY, [join(packageRoot(), 'test', 'fixtures', 'probe', 'ridge_folds.py'), dir, standardize ? '1' : '0', grid.join(',') || '1', String(finalL2)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout.trim().split('\n').pop()!) as { accuracy: number[]; squaredError: number[]; weights: number[]; bias: number[] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const standardize of [false, true]) {
  test(`10-shot folds in the dual equal numpy's primal k×k solves (k = 300 > 90 fit rows, standardize ${standardize})`, { skip }, async () => {
    const { train, trainLabels } = tenShot(300, 21);
    const plan = planHoldout(trainLabels);
    assert.ok(plan.used && plan.folds && plan.folds.length === 10, 'a 10-shot split is judged on 10 folds');
    const grid = relativeL2Grid(PROBE_DEFAULTS.ridgeExponents, 1).filter((_, i) => i % 2 === 0);
    const finalL2 = grid[Math.floor(grid.length / 2)];
    const ref = await numpyFolds(train, trainLabels, plan.folds!, grid, finalL2, standardize);
    const ours = await ridgeFoldCurvesDual(train, trainLabels, plan.folds!, grid, { classes: 10, standardize });
    for (let t = 0; t < grid.length; t++) {
      // Accuracy to one held-out row (an arg-max tie may round either way), squared error to rounding.
      assert.ok(Math.abs(ours.accuracy[t] - ref.accuracy[t]) <= 1 / 100 + 1e-12, `λ=${grid[t]}: accuracy ${ours.accuracy[t]} vs numpy ${ref.accuracy[t]}`);
      assert.ok(Math.abs(ours.squaredError[t] - ref.squaredError[t]) <= 1e-7 * ref.squaredError[t], `λ=${grid[t]}: squared error ${ours.squaredError[t]} vs numpy ${ref.squaredError[t]}`);
    }
    assert.ok(new Set(ref.accuracy).size > 2, 'the curve varies with λ (the comparison is not trivial)');
    const head = (await fitRidgeDual(train, trainLabels, { classes: 10, l2: finalL2, standardize }))!;
    const scale = Math.max(...ref.weights.map(Math.abs));
    for (let i = 0; i < ref.weights.length; i++) assert.ok(Math.abs(head.weights[i] - ref.weights[i]) <= 1e-7 * scale, `weight ${i}: ${head.weights[i]} vs numpy ${ref.weights[i]}`);
    for (let c = 0; c < 10; c++) assert.ok(Math.abs(head.bias[c] - ref.bias[c]) <= 1e-7, `bias ${c}: ${head.bias[c]} vs numpy ${ref.bias[c]}`);
  });
}

test("runProbe's 10-shot ridge (shared Gram, random subset wider than the split) ranks λ on numpy's pooled error and fits numpy's head", { skip }, async () => {
  const { train, trainLabels, test: testBlock, testLabels } = tenShot(400, 22);
  const gram = await RidgeGram.build(train, trainLabels, { classes: 10, holdout: true });
  const indices = Int32Array.from(new SeededRng(5).permutation(400).subarray(0, 250));
  const res = await runProbe({ features: train, labels: trainLabels }, { features: testBlock, labels: testLabels }, { method: 'random', k: 250, d: 400, fraction: 250 / 400, indices }, { probe: 'ridge', ridgeGram: gram, classes: 10 });
  const pen = res.penalty!;
  assert.equal(pen.criterion, 'squared-error');
  const sub = { data: new Float32Array(100 * 250), n: 100, d: 250 };
  for (let r = 0; r < 100; r++) for (let j = 0; j < 250; j++) sub.data[r * 250 + j] = train.data[r * 400 + indices[j]];
  const plan = planHoldout(trainLabels);
  const ref = await numpyFolds(sub, trainLabels, plan.used ? plan.folds! : [], pen.curve.l2, pen.l2, false);
  const best = ref.squaredError.indexOf(Math.min(...ref.squaredError));
  assert.equal(pen.l2, pen.curve.l2[best], `chosen λ ${pen.l2}, numpy's smallest pooled error at ${pen.curve.l2[best]}`);
  const refModel = { k: 250, classes: 10, weights: Float64Array.from(ref.weights), bias: Float64Array.from(ref.bias) };
  const subTest = { data: new Float32Array(500 * 250), n: 500, d: 250 };
  for (let r = 0; r < 500; r++) for (let j = 0; j < 250; j++) subTest.data[r * 250 + j] = testBlock.data[r * 400 + indices[j]];
  const refAccuracy = (await evaluateProbe(refModel, subTest, testLabels)).accuracy;
  assert.ok(Math.abs(res.accuracy - refAccuracy) <= 1 / 500 + 1e-12, `test accuracy ${res.accuracy} vs numpy's head ${refAccuracy}`);
});

test('one held-out part with fewer fit rows than features (k = 960 > 900): the dual curve is numpy\'s, and so are the chosen λ and the refit head', { skip }, async () => {
  const n = 1000, d = 1000, k = 960;
  const all = synthesizeFeatures({ n: n + 500, d, classes: 10, seed: 31, nonNegative: true, rank: 60 });
  const train = { data: all.features.data.slice(0, n * d), n, d };
  const trainLabels = all.labels.slice(0, n);
  const testBlock = { data: all.features.data.slice(n * d), n: 500, d };
  const testLabels = all.labels.slice(n);
  const plan = planHoldout(trainLabels);
  assert.ok(plan.used && !plan.folds && plan.fit.length < k, 'one held-out part, fewer fit rows than features');
  const gram = await RidgeGram.build(train, trainLabels, { classes: 10, holdout: true });
  const indices = Int32Array.from(new SeededRng(8).permutation(d).subarray(0, k));
  const res = await runProbe({ features: train, labels: trainLabels }, { features: testBlock, labels: testLabels }, { method: 'random', k, d, fraction: k / d, indices }, { probe: 'ridge', ridgeGram: gram, classes: 10 });
  const pen = res.penalty!;
  const pick = (block: { data: Float32Array; n: number }, rows?: Int32Array) => {
    const r = rows ?? Int32Array.from({ length: block.n }, (_, i) => i);
    const out = new Float32Array(r.length * k);
    r.forEach((row, t) => { for (let j = 0; j < k; j++) out[t * k + j] = block.data[row * d + indices[j]]; });
    return { data: out, n: r.length, d: k };
  };
  const dir = mkdtempSync(join(tmpdir(), 'dr-ridge-dual-'));
  try {
    const fit = pick(train, plan.used ? plan.fit : undefined);
    const val = pick(train, plan.used ? plan.val : undefined);
    await writeNpy(join(dir, 'fit.npy'), fit.data, [fit.n, k]);
    await writeNpy(join(dir, 'fit_labels.npy'), Int32Array.from(plan.used ? plan.fit : [], (i) => trainLabels[i]), [fit.n]);
    await writeNpy(join(dir, 'val.npy'), val.data, [val.n, k]);
    await writeNpy(join(dir, 'val_labels.npy'), Int32Array.from(plan.used ? plan.val : [], (i) => trainLabels[i]), [val.n]);
    const r = spawnSync(PY, [join(packageRoot(), 'test', 'fixtures', 'probe', 'ridge_curve.py'), dir, '0', pen.curve.l2.join(',')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ref = JSON.parse(r.stdout.trim().split('\n').pop()!) as { accuracy: number[]; chosen: number };
    for (let t = 0; t < ref.accuracy.length; t++) assert.ok(Math.abs(pen.curve.accuracy[t] - ref.accuracy[t]) <= 1 / val.n + 1e-12, `λ=${pen.curve.l2[t]}: ${pen.curve.accuracy[t]} vs numpy ${ref.accuracy[t]}`);
    assert.equal(pen.l2, pen.curve.l2[ref.chosen], 'chosen λ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const head = await numpyFolds(pick(train), trainLabels, [], [], pen.l2, false);
  const refModel = { k, classes: 10, weights: Float64Array.from(head.weights), bias: Float64Array.from(head.bias) };
  const refAccuracy = (await evaluateProbe(refModel, pick(testBlock), testLabels)).accuracy;
  assert.ok(Math.abs(res.accuracy - refAccuracy) <= 1 / 500 + 1e-12, `test accuracy ${res.accuracy} vs numpy's head ${refAccuracy}`);
});
