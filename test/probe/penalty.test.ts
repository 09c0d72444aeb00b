import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestOnCurve, chooseOnCurve, heldOutSquaredError, ridgeValidationCurve, ridgeValidationCurves, softmaxValidationWalk } from '../../src/probe/penalty.js';
import { centredMoments, subsetMoments } from '../../src/probe/gram.js';
import { gatherColumns } from '../../src/probe/features.js';
import { fitRidgeFromMoments } from '../../src/probe/ridge.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { loadProbeReference } from './fixture.js';

const ref = loadProbeReference();

test('ties on the validation curve go to the larger λ (the earlier entry of a descending grid)', () => {
  assert.equal(bestOnCurve([0.5, 0.8, 0.8, 0.7]), 1);
  assert.equal(bestOnCurve([0.9]), 0);
});

test('chooseOnCurve: 3-point averages (two at the ends), candidates restrict the choice but not the averages', () => {
  // Averages: 0.65, 0.6667, 0.7, 0.7333, 0.75 — the end's two-point average wins the whole curve.
  const acc = [0.6, 0.7, 0.7, 0.7, 0.8];
  assert.equal(chooseOnCurve(acc, 1), 4);
  assert.equal(chooseOnCurve(acc, 0), 4);
  assert.equal(chooseOnCurve(acc, 1, [1, 2, 3]), 3);
  assert.equal(chooseOnCurve([0.5, 0.9, 0.5, 0.9, 0.5], 1, [1, 2, 3]), 2, '(0.9 + 0.5 + 0.9) / 3 beats (0.5 + 0.9 + 0.5) / 3');
  assert.equal(chooseOnCurve([0.7, 0.7, 0.7], 1, [0, 1, 2]), 0, 'ties: the larger λ');
  assert.throws(() => chooseOnCurve(acc, 1, [5]), /candidates must be indices into the 5-point curve/);
  assert.throws(() => chooseOnCurve(acc, 1, []), /candidates/);
});

test('ridge validation accuracies from one eigendecomposition equal a Cholesky fit per λ', async () => {
  const lambdas = [10, 1, 0.1, 1e-2, 1e-3, 1e-5];
  for (const standardize of [false, true]) {
    const fit = await centredMoments(ref.train, ref.trainLabels, { classes: ref.classes });
    const curve = await ridgeValidationCurve(fit, ref.test, ref.testLabels, lambdas, { standardize });
    for (let t = 0; t < lambdas.length; t++) {
      const model = fitRidgeFromMoments(fit, { l2: lambdas[t], standardize });
      const direct = (await evaluateProbe(model, ref.test, ref.testLabels)).accuracy;
      assert.ok(Math.abs(curve[t] - direct) <= 1 / ref.n_test + 1e-12, `λ=${lambdas[t]} standardize=${standardize}: ${curve[t]} vs ${direct}`);
    }
  }
});

test('ridge held-out squared errors from one eigendecomposition equal a Cholesky fit per λ scored row by row', async () => {
  const lambdas = [10, 1, 0.1, 1e-2, 1e-3, 1e-5];
  const C = ref.classes;
  const k = ref.test.d;
  for (const standardize of [false, true]) {
    const fit = await centredMoments(ref.train, ref.trainLabels, { classes: C });
    const curve = await ridgeValidationCurve(fit, ref.test, ref.testLabels, lambdas, { standardize, score: 'squared-error' });
    for (let t = 0; t < lambdas.length; t++) {
      const model = fitRidgeFromMoments(fit, { l2: lambdas[t], standardize });
      let direct = 0;
      for (let i = 0; i < ref.test.n; i++) {
        for (let c = 0; c < C; c++) {
          let s = model.bias[c];
          for (let j = 0; j < k; j++) s += ref.test.data[i * k + j] * model.weights[j * C + c];
          direct += (s - (c === ref.testLabels[i] ? 1 : 0)) ** 2;
        }
      }
      direct /= ref.test.n;
      assert.ok(Math.abs(curve[t] - direct) <= 1e-4 * direct, `λ=${lambdas[t]} standardize=${standardize}: ${curve[t]} vs ${direct}`);
    }
    assert.ok(new Set(curve.map((v) => v.toPrecision(4))).size > 1, 'the curve varies with λ');
  }
  assert.equal(heldOutSquaredError([0.5, 0.5, 1, 0], [0, 0], Int32Array.from([0, 0]), 2), (0.25 + 0.25 + 0 + 0) / 2);
});

test('held-out rows left ungathered (valColumns, heads scattered to d rows) give the gathered curve, a repeated column included', async () => {
  const lambdas = [10, 1, 0.1, 1e-2, 1e-3];
  const all = await centredMoments(ref.train, ref.trainLabels, { classes: ref.classes });
  for (const cols of [Int32Array.from([6, 1, 4, 3, 0]), Int32Array.from([2, 5, 2, 7])]) {
    const fit = subsetMoments(all, cols);
    const gathered = await ridgeValidationCurves(fit, gatherColumns(ref.test, cols), ref.testLabels, lambdas, { standardize: true, method: 'eigen' });
    const scattered = await ridgeValidationCurves(fit, ref.test, ref.testLabels, lambdas, { standardize: true, method: 'eigen', valColumns: cols });
    assert.deepEqual(scattered.accuracy, gathered.accuracy);
    for (let t = 0; t < lambdas.length; t++) assert.ok(Math.abs(scattered.squaredError[t] - gathered.squaredError[t]) <= 1e-5 * gathered.squaredError[t], `λ=${lambdas[t]}`);
  }
  await assert.rejects(ridgeValidationCurves(subsetMoments(all, Int32Array.from([0, 1])), ref.test, ref.testLabels, lambdas, { valColumns: Int32Array.from([0]) }), /1 held-out columns named, moments describe 2/);
  await assert.rejects(ridgeValidationCurves(subsetMoments(all, Int32Array.from([0, 1])), ref.test, ref.testLabels, lambdas, { valColumns: Int32Array.from([0, 99]) }), /held-out column 99 outside/);
});

test('the softmax walk does not stop on the large-λ plateau, then stops `patience` steps after its best', async () => {
  const C = ref.classes;
  const fit = await centredMoments(ref.train, ref.trainLabels, { classes: C });
  const part = { fit: ref.train, fitLabels: ref.trainLabels, val: ref.test, valLabels: ref.testLabels, moments: fit };
  // Six λ so large that every head predicts the class prior, then a usual grid.
  const lambdas = [1e8, 3e7, 1e7, 3e6, 1e6, 3e5, ...Array.from({ length: 12 }, (_, i) => 10 ** (1 - 0.5 * i))];
  const walk = await softmaxValidationWalk([part], lambdas, { classes: C, patience: 3, softmax: { gtol: 1e-3, ftol: 1e-9 } });
  assert.ok(walk.accuracy.slice(0, 6).every((a) => a === walk.accuracy[0]), `plateau: ${walk.accuracy.slice(0, 6)}`);
  const top = Math.max(...walk.accuracy);
  assert.ok(top > walk.accuracy[0] + 0.05, `the walk left the plateau: ${walk.accuracy}`);
  const firstTop = walk.accuracy.indexOf(top);
  assert.ok(walk.l2.length <= lambdas.length && (walk.l2.length === lambdas.length || walk.l2.length - 1 - firstTop >= 3), `stopped ${walk.l2.length - 1 - firstTop} steps after the best`);
  assert.equal(walk.l2[walk.best], lambdas[walk.best]);
});

test('the coarse-to-fine walk (stride 2): decades until `patience` decades pass the best, then the two half decades beside it, chosen among those three', async () => {
  const C = ref.classes;
  const fit = await centredMoments(ref.train, ref.trainLabels, { classes: C });
  const part = { fit: ref.train, fitLabels: ref.trainLabels, val: ref.test, valLabels: ref.testLabels, moments: fit };
  const lambdas = Array.from({ length: 15 }, (_, i) => 10 ** (2 - 0.5 * i));
  const softmax = { gtol: 1e-3, ftol: 1e-9 };
  const plain = await softmaxValidationWalk([part], lambdas, { classes: C, patience: 20, softmax });
  assert.equal(plain.l2.length, lambdas.length, 'patience 20: the plain walk fits every λ');
  for (const patience of [1, 2]) {
    const walk = await softmaxValidationWalk([part], lambdas, { classes: C, patience, stride: 2, softmax });
    const index = walk.l2.map((l) => lambdas.indexOf(l));
    assert.ok(index.every((t, i) => t >= 0 && (i === 0 || t > index[i - 1])), `tried in grid order: ${index}`);
    const coarse = index.filter((t) => t % 2 === 0);
    assert.deepEqual(coarse, coarse.map((_, i) => 2 * i), 'the coarse pass is a prefix of the decades');
    const coarseAcc = coarse.map((t) => walk.accuracy[index.indexOf(t)]);
    let b = 0;
    coarseAcc.forEach((a, i) => { if (a > coarseAcc[b]) b = i; });
    const best = coarse[b];
    const last = coarse.at(-1)!;
    assert.ok(last === 2 * Math.floor((lambdas.length - 1) / 2) || (b > 0 && (last - best) / 2 === patience), `stopped ${(last - best) / 2} decades after the best (patience ${patience})`);
    const fine = index.filter((t) => t % 2 === 1);
    assert.deepEqual(fine, [best - 1, best + 1].filter((t) => t >= 0 && t < lambdas.length), 'the half decades beside the coarse best');
    const chosen = index[walk.best];
    assert.ok(Math.abs(chosen - best) <= 1, `chosen ${chosen} beside the coarse best ${best}`);
    const candidates = index.map((t, i) => (Math.abs(t - best) <= 1 ? i : -1)).filter((i) => i >= 0);
    assert.equal(walk.best, chooseOnCurve(walk.accuracy, 1, candidates));
    // Warm starts from other heads reach the same optima: the accuracies match the plain walk's
    // within a few held-out rows (the walk's loose tolerances).
    for (let i = 0; i < index.length; i++) assert.ok(Math.abs(walk.accuracy[i] - plain.accuracy[index[i]]) <= 3 / ref.test.n + 1e-12, `λ ${walk.l2[i]}: ${walk.accuracy[i]} vs ${plain.accuracy[index[i]]}`);
    assert.ok(walk.iterations < plain.iterations, `${walk.iterations} vs ${plain.iterations} iterations`);
  }
  await assert.rejects(softmaxValidationWalk([part], lambdas, { classes: C, stride: 0 }), /stride must be an integer ≥ 1/);
});

