import { test } from 'node:test';
import assert from 'node:assert/strict';
import { complementMoments, planHoldout } from '../../src/probe/validation.js';
import { centredMoments } from '../../src/probe/gram.js';
import { gatherRows } from '../../src/probe/features.js';
import { SeededRng } from '../../src/util/random.js';
import { maxAbsDiff } from './fixture.js';

test('the hold-out is stratified, 10% of each class, seeded, disjoint from the fit rows and deterministic', () => {
  const labels = Int32Array.from({ length: 1000 }, (_, i) => (i < 700 ? 0 : i < 900 ? 1 : 2));
  const plan = planHoldout(labels);
  assert.ok(plan.used);
  if (!plan.used) return;
  const count = (rows: Int32Array, c: number): number => rows.filter((i) => labels[i] === c).length;
  assert.deepEqual([0, 1, 2].map((c) => count(plan.val, c)), [70, 20, 10]);
  assert.equal(plan.fit.length + plan.val.length, 1000);
  const all = new Set([...plan.fit, ...plan.val]);
  assert.equal(all.size, 1000);
  assert.deepEqual(planHoldout(labels), plan);
  const other = planHoldout(labels, { seed: 1 });
  assert.ok(other.used && other.val.some((v, i) => v !== plan.val[i]));
});

test('10-shot data holds out one row per class; too small a split falls back with the reason', () => {
  const tenShot = Int32Array.from({ length: 100 }, (_, i) => i % 10);
  const plan = planHoldout(tenShot);
  assert.ok(plan.used && plan.val.length === 10 && new Set(Array.from(plan.val, (i) => tenShot[i])).size === 10);
  // So few held-out rows: all ten stratified tenths are held out in turn (each row exactly once).
  assert.equal(plan.folds?.length, 10);
  const seen = new Int32Array(100);
  for (const fold of plan.folds!) {
    assert.equal(fold.length, 10);
    assert.equal(new Set(Array.from(fold, (i) => tenShot[i])).size, 10);
    for (const i of fold) seen[i]++;
  }
  assert.ok(seen.every((c) => c === 1));
  const large = planHoldout(Int32Array.from({ length: 5000 }, (_, i) => i % 10));
  assert.ok(large.used && large.folds === undefined && large.val.length === 500);
  const tiny = planHoldout(Int32Array.from({ length: 19 }, (_, i) => i % 2));
  assert.ok(!tiny.used && /19 training rows \(< 20\)/.test(tiny.reason));
  const lonely = planHoldout(Int32Array.from({ length: 40 }, (_, i) => (i === 0 ? 2 : i % 2)));
  assert.ok(!lonely.used && /class 2 has fewer than 2 training rows/.test(lonely.reason));
});

test('moments of the fit rows from all rows minus the held-out rows equal the direct moments', async () => {
  const rng = new SeededRng(3);
  const n = 300;
  const d = 7;
  const data = Float32Array.from({ length: n * d }, () => 2 + 3 * rng.nextNormal());
  const labels = Int32Array.from({ length: n }, () => rng.below(4));
  const plan = planHoldout(labels);
  assert.ok(plan.used);
  if (!plan.used) return;
  const x = { data, n, d };
  const all = await centredMoments(x, labels, { classes: 4 });
  const val = await centredMoments(gatherRows(x, plan.val), Int32Array.from(plan.val, (i) => labels[i]), { classes: 4 });
  const direct = await centredMoments(gatherRows(x, plan.fit), Int32Array.from(plan.fit, (i) => labels[i]), { classes: 4 });
  const derived = complementMoments(all, val);
  assert.equal(derived.n, direct.n);
  assert.ok(maxAbsDiff(derived.mean, direct.mean) < 1e-9);
  assert.ok(maxAbsDiff(derived.gram, direct.gram) < 1e-7 * Math.max(...direct.gram.map(Math.abs)));
  assert.ok(maxAbsDiff(derived.xty, direct.xty) < 1e-8 * n);
  assert.ok(maxAbsDiff(derived.classMean, direct.classMean) < 1e-12);
});
