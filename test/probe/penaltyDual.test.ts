// The dual (n×n kernel) ridge validation curve must equal the primal (k×k Gram) one when the fit
// rows are fewer than the features: same heads in exact arithmetic, so the same held-out scores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centredMoments } from '../../src/probe/gram.js';
import { ridgeValidationCurve, ridgeValidationCurveDual } from '../../src/probe/penalty.js';
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
    const dual = await ridgeValidationCurveDual(fit, fitLabels, moments, val, valLabels, lambdas, { standardize });
    assert.deepEqual(dual, primal);
    assert.ok(new Set(primal).size > 1, 'the curve varies with λ (the comparison is not trivial)');
    const primalError = await ridgeValidationCurve(moments, val, valLabels, lambdas, { standardize, score: 'squared-error' });
    const dualError = await ridgeValidationCurveDual(fit, fitLabels, moments, val, valLabels, lambdas, { standardize, score: 'squared-error' });
    for (let t = 0; t < lambdas.length; t++) assert.ok(Math.abs(dualError[t] - primalError[t]) <= 1e-4 * primalError[t], `λ=${lambdas[t]}: dual ${dualError[t]} vs primal ${primalError[t]}`);
  });
}

test('dual ridge validation checks shapes', async () => {
  const fitLabels = new Int32Array([0, 1, 0]);
  const fit = { data: new Float32Array(3 * 4).map((_, i) => i % 3), n: 3, d: 4 };
  const moments = await centredMoments(fit, fitLabels, { classes: 2 });
  await assert.rejects(() => ridgeValidationCurveDual({ ...fit, n: 2, data: fit.data.subarray(0, 8) }, fitLabels, moments, fit, fitLabels, [1]), /fit rows are 2×4/);
});

test('the blocked-Cholesky ridge refit gives the heads of the unblocked one (to rounding)', async () => {
  const { fitRidgeFromMoments, fitRidgeFromMomentsBlocked } = await import('../../src/probe/ridge.js');
  const rng = new SeededRng(3);
  const n = 400, k = 300, C = 4;
  const labels = Int32Array.from({ length: n }, (_, i) => i % C);
  const m = await centredMoments({ data: block(rng, n, k, labels), n, d: k }, labels, { classes: C });
  for (const standardize of [false, true]) {
    const a = fitRidgeFromMoments(m, { l2: 1e-3, standardize });
    const b = await fitRidgeFromMomentsBlocked(m, { l2: 1e-3, standardize });
    let worst = 0;
    for (let i = 0; i < a.weights.length; i++) worst = Math.max(worst, Math.abs(a.weights[i] - b.weights[i]) / (Math.abs(a.weights[i]) + 1e-12));
    assert.ok(worst < 1e-8, `relative difference ${worst}`);
    for (let c = 0; c < C; c++) assert.ok(Math.abs(a.bias[c] - b.bias[c]) < 1e-9);
  }
});

test('a slightly indefinite Gram (rounding in a null subspace) is refit through its clipped eigendecomposition', async () => {
  const { fitRidgeFromMomentsBlocked } = await import('../../src/probe/ridge.js');
  // G = v·vᵀ (rank 1) minus 1e-4 on the diagonal: indefinite; nλ = 1e-5 cannot repair it for Cholesky.
  const k = 6, C = 2, n = 10;
  const v = [1, 2, 3, 4, 5, 6];
  const gram = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) gram[i * k + j] = v[i] * v[j] - (i === j ? 1e-4 : 0);
  const xty = new Float64Array(k * C);
  for (let i = 0; i < k; i++) { xty[i * C] = v[i]; xty[i * C + 1] = -v[i]; }
  const m = { n, d: k, classes: C, mean: new Float64Array(k), gram, xty, classMean: new Float64Array([0.5, 0.5]) };
  const l2 = 1e-6;
  const model = await fitRidgeFromMomentsBlocked(m, { l2 });
  // Clipped solution: the negative eigenvalues (−1e-4) become 0, so W = v·vᵀxty/((‖v‖² − 1e-4 + nλ)·‖v‖²) on v's direction
  // plus (0 + nλ)⁻¹ times the part of XᵀY orthogonal to v, which is 0 here.
  const vv = v.reduce((acc, x) => acc + x * x, 0);
  for (let i = 0; i < k; i++) {
    const expected = v[i] / (vv - 1e-4 + n * l2);
    // Condition ≈ ‖v‖²/(nλ) ≈ 1e7, so rounding of order 1e-16·1e7 is expected.
    assert.ok(Math.abs(model.weights[i * C] - expected) < 1e-8 * Math.abs(expected), `w[${i}] = ${model.weights[i * C]} vs ${expected}`);
  }
});
