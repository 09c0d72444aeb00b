import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WHITENING_INVERSE_MIN_K, leadingBlock, leadingWhitening, whiteningFactor, whiteningOf } from '../../src/probe/whitening.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import { gemm64Sync } from '../../src/linalg/dense64.js';
import { centredMoments } from '../../src/probe/gram.js';
import { SoftmaxObjective } from '../../src/probe/softmax.js';
import { SeededRng } from '../../src/util/random.js';
import { RidgeGram } from '../../src/probe/ridge.js';
import { evaluateBoth, loadProbeReference, maxAbsDiff } from './fixture.js';

const ref = loadProbeReference();

test('L·Lᵀ reproduces Gram/n + λI, and a prefix factor is the leading block', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const order = Int32Array.from([3, 1, 7, 0, 5]);
  const m = gram.forIndices(order);
  const l = whiteningFactor(m, 0.01);
  const k = order.length;
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) {
    let s = 0;
    for (let t = 0; t < k; t++) s += l[i * k + t] * l[j * k + t];
    const want = m.gram[i * k + j] / m.n + (i === j ? 0.01 : 0);
    assert.ok(Math.abs(s - want) < 1e-10 * Math.max(1, Math.abs(want)));
  }
  const prefix = whiteningFactor(gram.forIndices(order.subarray(0, 3)), 0.01);
  assert.ok(maxAbsDiff(leadingBlock(l, k, 3), prefix) < 1e-12);
});

test('RidgeGram.whiteningFor reuses the last factor for prefixes and recomputes otherwise', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const order = Int32Array.from([6, 2, 4, 0]);
  const big = await gram.whiteningFor(order, 1e-3, true);
  assert.equal(await gram.whiteningFor(order, 1e-3, true), big);
  const small = await gram.whiteningFor(order.subarray(0, 2), 1e-3, true);
  assert.ok(maxAbsDiff(small.factor, whiteningFactor(gram.forIndices(order.subarray(0, 2)), 1e-3, true)) < 1e-12);
  const other = await gram.whiteningFor(Int32Array.from([2, 6]), 1e-3, true);
  assert.ok(maxAbsDiff(other.factor, whiteningFactor(gram.forIndices(Int32Array.from([2, 6])), 1e-3, true)) < 1e-15);
});

test('wide whitenings carry L⁻¹ (L·M = I to 1e-10), its leading blocks invert the leading blocks of L, and the objective is the same with either', async () => {
  const linalg = await createOnnxLinalg();
  const k = WHITENING_INVERSE_MIN_K + 44;
  const n = 2 * k;
  const rng = new SeededRng(5);
  const x = { data: Float32Array.from({ length: n * k }, () => Math.max(0, rng.nextNormal() + 0.3)), n, d: k };
  const labels = Int32Array.from({ length: n }, (_, i) => i % 4);
  const m = await centredMoments(x, labels, { linalg, classes: 4 });
  const w = await whiteningOf(m, 1e-2, true, linalg);
  assert.ok(w.inverse, 'no inverse at k ≥ WHITENING_INVERSE_MIN_K with a native matmul64');
  assert.ok(maxAbsDiff(w.factor, whiteningFactor(m, 1e-2, true)) < 1e-10);
  const lm = gemm64Sync(w.factor, w.inverse!, k, k, k);
  for (let i = 0; i < k; i++) lm[i * k + i] -= 1;
  assert.ok(Math.max(...lm.map(Math.abs)) < 1e-10, 'L·M ≠ I');
  for (let i = 0; i < k; i++) for (let j = i + 1; j < k; j++) assert.equal(w.inverse![i * k + j], 0);
  const lead = leadingWhitening(w, k, WHITENING_INVERSE_MIN_K);
  const kk = WHITENING_INVERSE_MIN_K;
  const lm2 = gemm64Sync(lead.factor, lead.inverse!, kk, kk, kk);
  for (let i = 0; i < kk; i++) lm2[i * kk + i] -= 1;
  assert.ok(Math.max(...lm2.map(Math.abs)) < 1e-10, 'leading blocks are not inverses');
  assert.equal(leadingWhitening(w, k, 10).inverse, undefined);
  const withInverse = new SoftmaxObjective(x, labels, m, { l2: 1e-2, standardize: true, classes: 4, whitening: w }, linalg);
  const withSolves = new SoftmaxObjective(x, labels, m, { l2: 1e-2, standardize: true, classes: 4, whitening: { factor: w.factor } }, linalg);
  const theta = new Float64Array(withInverse.size).map((_, i) => 0.05 * Math.cos(0.3 * i));
  const { f1, f2, g1, g2 } = await evaluateBoth(withInverse, withSolves, theta);
  assert.ok(Math.abs(f1 - f2) <= 1e-6 * Math.abs(f2), `objective ${f1} vs ${f2}`);
  assert.ok(maxAbsDiff(g1, g2) <= 1e-5 * Math.max(...g2.map(Math.abs)), 'gradient');
  assert.ok(maxAbsDiff(withInverse.toModel(theta).weights, withSolves.toModel(theta).weights) <= 1e-8 * Math.max(...withSolves.toModel(theta).weights.map(Math.abs)), 'model');
  await linalg.dispose?.();
});
