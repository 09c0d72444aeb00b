import { test } from 'node:test';
import assert from 'node:assert/strict';
import { leadingBlock, whiteningFactor } from '../../src/probe/whitening.js';
import { RidgeGram } from '../../src/probe/ridge.js';
import { loadProbeReference, maxAbsDiff } from './fixture.js';

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
  const big = gram.whiteningFor(order, 1e-3, true);
  assert.equal(gram.whiteningFor(order, 1e-3, true), big);
  const small = gram.whiteningFor(order.subarray(0, 2), 1e-3, true);
  assert.ok(maxAbsDiff(small, whiteningFactor(gram.forIndices(order.subarray(0, 2)), 1e-3, true)) < 1e-12);
  const other = gram.whiteningFor(Int32Array.from([2, 6]), 1e-3, true);
  assert.ok(maxAbsDiff(other, whiteningFactor(gram.forIndices(Int32Array.from([2, 6])), 1e-3, true)) < 1e-15);
});
