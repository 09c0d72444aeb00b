import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestOnCurve, ridgeValidationCurve } from '../../src/probe/penalty.js';
import { centredMoments } from '../../src/probe/gram.js';
import { fitRidgeFromMoments } from '../../src/probe/ridge.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { loadProbeReference } from './fixture.js';

const ref = loadProbeReference();

test('ties on the validation curve go to the larger λ (the earlier entry of a descending grid)', () => {
  assert.equal(bestOnCurve([0.5, 0.8, 0.8, 0.7]), 1);
  assert.equal(bestOnCurve([0.9]), 0);
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
