import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROBE_DEFAULTS, checkL2Setting, l2SettingKey, relativeL2Grid } from '../../src/probe/defaults.js';

test('a bad λ setting is an error naming it', () => {
  assert.throws(() => checkL2Setting([], '--l2'), /--l2: the λ grid is empty/);
  assert.throws(() => checkL2Setting(-1, 'l2'), /l2: λ must be a finite number ≥ 0/);
  assert.throws(() => checkL2Setting([1, Number.NaN], '--l2'), /--l2: every λ/);
});

test('one set of defaults: softmax for probe and sweep, ridge for the quick run, λ chosen on validation data', () => {
  assert.equal(PROBE_DEFAULTS.probe, 'softmax');
  assert.equal(PROBE_DEFAULTS.quickProbe, 'ridge');
  assert.equal(PROBE_DEFAULTS.l2, 'auto');
  assert.equal(PROBE_DEFAULTS.validation.fraction, 0.1);
  assert.equal(PROBE_DEFAULTS.validation.seed, 0);
  // The grids are descending and wide: from 10^3 (10-shot data wants a large λ) to 10^-7 (50,000 rows).
  for (const g of [PROBE_DEFAULTS.ridgeExponents, PROBE_DEFAULTS.softmaxExponents]) {
    for (let i = 1; i < g.length; i++) assert.ok(g[i] < g[i - 1]);
  }
  assert.ok(PROBE_DEFAULTS.ridgeExponents[0] >= 3 && PROBE_DEFAULTS.ridgeExponents.at(-1)! <= -7);
  assert.ok(PROBE_DEFAULTS.softmaxExponents[0] >= 2 && PROBE_DEFAULTS.softmaxExponents.at(-1)! <= -6);
  assert.deepEqual(relativeL2Grid([1, 0, -1], 2), [20, 2, 0.2]);
  assert.deepEqual(relativeL2Grid([0], 0), [1]);
  assert.equal(l2SettingKey(undefined), 'auto');
  assert.deepEqual(l2SettingKey([1e-3, 1]), [1, 1e-3]);
});
