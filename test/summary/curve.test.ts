import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { accuracyCurves, makeAccuracyCurve } from '../../src/summary/curve.js';

test('accuracy curves: mean and population std over seeds per fraction, sorted by fraction', () => {
  const t = aq.from([
    { model: 'm', dataset: 'x', selection: 'random', probe: 'ridge', fraction: 0.5, k: 4, seed: 1, accuracy: 0.6 },
    { model: 'm', dataset: 'x', selection: 'random', probe: 'ridge', fraction: 0.5, k: 4, seed: 2, accuracy: 0.8 },
    { model: 'm', dataset: 'x', selection: 'random', probe: 'ridge', fraction: 0.25, k: 2, seed: 1, accuracy: 0.4 },
    { model: 'm', dataset: 'x', selection: 'random', probe: 'ridge', fraction: 1, k: 8, seed: 1, accuracy: 0.9 },
  ]);
  const c = accuracyCurves(t).objects() as any[];
  assert.deepEqual(c.map((r) => r.fraction), [0.25, 0.5, 1]);
  assert.ok(Math.abs(c[1].accuracyMean - 0.7) < 1e-12);
  assert.ok(Math.abs(c[1].accuracyStd - 0.1) < 1e-12);
  assert.equal(c[1].runs, 2);
  assert.equal(c[0].accuracyStd, 0);
});

test('makeAccuracyCurve sorts and rejects duplicates', () => {
  assert.deepEqual(makeAccuracyCurve([1, 0.5], [0.9, 0.7]), { fractions: [0.5, 1], accuracies: [0.7, 0.9] });
  assert.throws(() => makeAccuracyCurve([0.5, 0.5], [0.7, 0.8]), /appears twice/);
  assert.throws(() => makeAccuracyCurve([0.5], [NaN]), /not finite/);
});

test('paper number loader reads every shipped CSV', async () => {
  const { loadPaperNumbers, PAPER_NUMBER_FILES } = await import('../../src/summary/paperNumbers.js');
  for (const name of Object.keys(PAPER_NUMBER_FILES) as Array<keyof typeof PAPER_NUMBER_FILES>) {
    assert.ok(loadPaperNumbers(name).numRows() > 0, name);
  }
  const fig1 = loadPaperNumbers('fig1');
  assert.equal(fig1.numRows(), 120);
  assert.equal(typeof fig1.get('accuracy_mean', 0), 'number');
  assert.throws(() => loadPaperNumbers('fig1', '/nonexistent'), /not found/);
});
