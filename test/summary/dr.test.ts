import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import {
  diffusedRedundancy, drEstimate, drFromCurves, drInterpolated, drNearestGrid, drTable,
} from '../../src/summary/dr.js';
import { loadPaperNumbers } from '../../src/summary/paperNumbers.js';
import { highDeltaSweep, linspace, paperDeltaSweep } from '../../src/summary/deltas.js';

const close = (a: number, b: number, tol = 1e-9) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b}`);

test('nearest-grid DR on the paper\'s Figure 1 numbers matches the published DR(δ) for standard ResNet50', () => {
  const fig1 = loadPaperNumbers('fig1');
  const dr = drFromCurves(fig1, {
    deltas: [0.8, 0.85, 0.9, 0.95], groupBy: ['pretraining', 'downstream'], accuracyColumn: 'accuracy_mean',
  });
  const expected: Record<string, number[]> = {
    cifar10: [0.95, 0.9, 0.9, 0.7],
    cifar100: [0.8, 0.7, 0.5, 0.5],
    flowers102: [0.5, 0.5, 0.2, 0.2],
    oxford_pets: [0.95, 0.9, 0.9, 0.8],
  };
  for (const [task, values] of Object.entries(expected)) {
    const got = dr.objects().filter((r: any) => r.pretraining === 'imagenet1k_standard' && r.downstream === task)
      .map((r: any) => r.dr);
    assert.deepEqual(got, values, task);
  }
});

test('nearest-grid DR(0.9) reproduces Table 1\'s ResNet50 row, and the adversarial model is higher on every task', () => {
  const fig1 = loadPaperNumbers('fig1');
  const table1 = loadPaperNumbers('table1').objects().find((r: any) => r.model === 'resnet50') as any;
  const dr = drFromCurves(fig1, { deltas: [0.9], groupBy: ['pretraining', 'downstream'], accuracyColumn: 'accuracy_mean' }).objects() as any[];
  for (const task of ['cifar10', 'cifar100', 'flowers102', 'oxford_pets']) {
    const std = dr.find((r) => r.pretraining === 'imagenet1k_standard' && r.downstream === task).dr;
    const adv = dr.find((r) => r.pretraining === 'imagenet1k_adv_l2_eps3' && r.downstream === task).dr;
    assert.equal(std, table1[`dr_${task}`], task);
    assert.ok(adv >= std, `${task}: adversarial ${adv} < standard ${std}`);
  }
});

test('nearest picks the fraction whose ratio is closest to δ, first on ties (smallest fraction)', () => {
  // full = 0.8; ratios: 0.25, 0.5, 0.75, 1
  const curve = { fractions: [0.1, 0.2, 0.5, 1], accuracies: [0.2, 0.4, 0.6, 0.8] };
  assert.equal(drNearestGrid(curve, 0.7).fraction, 0.5);
  assert.equal(drNearestGrid(curve, 0.7).dr, 0.5);
  // exact binary ratios 0.125, 0.25, 0.5, 1: δ = 0.375 is equidistant from f=0.2 and f=0.5; first (0.2) wins
  assert.equal(drNearestGrid({ fractions: [0.1, 0.2, 0.5, 1], accuracies: [0.125, 0.25, 0.5, 1] }, 0.375).fraction, 0.2);
  assert.equal(drNearestGrid(curve, 2).fraction, 1);
  assert.equal(drNearestGrid(curve, 2).dr, 0);
  // order of input does not matter
  assert.equal(drNearestGrid({ fractions: [1, 0.5, 0.2, 0.1], accuracies: [0.8, 0.6, 0.4, 0.2] }, 0.7).dr, 0.5);
});

test('interpolated DR finds the linear crossing of the ratio curve', () => {
  const curve = { fractions: [0.1, 0.2, 0.5, 1], accuracies: [0.2, 0.4, 0.6, 0.8] };
  // ratio 0.6 lies between f=0.2 (0.5) and f=0.5 (0.75): f* = 0.2 + (0.1/0.25)·0.3 = 0.32
  const e = drInterpolated(curve, 0.6);
  close(e.fraction, 0.32, 1e-12);
  close(e.dr, 0.68, 1e-12);
  assert.equal(e.clamped, false);
  // exactly on a grid point
  close(drInterpolated(curve, 0.75).fraction, 0.5, 1e-12);
  // below the first ratio: clamped to the smallest tested fraction
  const low = drInterpolated(curve, 0.1);
  assert.equal(low.fraction, 0.1);
  assert.equal(low.clamped, true);
  // δ = 1 is reached at the latest by the full layer
  close(drInterpolated(curve, 1).dr, 0, 0);
  // never reached
  assert.ok(Number.isNaN(drInterpolated(curve, 1.1).dr));
});

test('interpolated DR lies within one grid step of the nearest-grid reading on the paper curves', () => {
  const fig1 = loadPaperNumbers('fig1');
  const dr = drFromCurves(fig1, {
    deltas: [0.8, 0.9, 0.95], estimator: ['nearest', 'interpolated'], groupBy: ['pretraining', 'downstream'], accuracyColumn: 'accuracy_mean',
  }).objects() as any[];
  const grid = [...new Set(fig1.array('fraction') as number[])].sort((a, b) => a - b);
  for (const r of dr.filter((x) => x.estimator === 'interpolated')) {
    const n = dr.find((x) => x.estimator === 'nearest' && x.delta === r.delta && x.pretraining === r.pretraining && x.downstream === r.downstream);
    const j = grid.indexOf(n.fraction);
    const lo = grid[Math.max(0, j - 1)];
    const hi = grid[Math.min(grid.length - 1, j + 1)];
    assert.ok(r.fraction >= lo - 1e-12 && r.fraction <= hi + 1e-12, `${r.downstream} δ=${r.delta}: ${r.fraction} not in [${lo}, ${hi}]`);
    // the ratio at the interpolated fraction is δ itself
    close(r.ratio, r.delta, 1e-12);
  }
});

test('missing full layer gives NaN, bad input throws', () => {
  assert.ok(Number.isNaN(diffusedRedundancy({ fractions: [0.1, 0.5], accuracies: [0.3, 0.6] }, 0.9)));
  assert.throws(() => diffusedRedundancy({ fractions: [0.1, 1], accuracies: [0.3] }, 0.9), /2 fractions but 1/);
  assert.throws(() => diffusedRedundancy({ fractions: [0, 1], accuracies: [0.3, 0.5] }, 0.9), /outside/);
  assert.throws(() => drEstimate({ fractions: [1], accuracies: [0.5] }, 0.9, { estimator: 'bogus' as any }), /unknown estimator/);
});

test('drTable averages seeds first (DR of the mean curve, as the authors do)', () => {
  const results = aq.from([
    { model: 'm', dataset: 'x', fraction: 0.1, seed: 1, accuracy: 0.5 },
    { model: 'm', dataset: 'x', fraction: 0.1, seed: 2, accuracy: 0.7 },
    { model: 'm', dataset: 'x', fraction: 0.5, seed: 1, accuracy: 0.85 },
    { model: 'm', dataset: 'x', fraction: 0.5, seed: 2, accuracy: 0.95 },
    { model: 'm', dataset: 'x', fraction: 1, seed: 1, accuracy: 1.0 },
  ]);
  const t = drTable(results, { deltas: [0.6, 0.9] }).objects() as any[];
  assert.equal(t.length, 2);
  assert.deepEqual(t.map((r) => r.dr), [0.9, 0.5]);
  close(t[0].ratio, 0.6);
  assert.deepEqual(Object.keys(t[0]).slice(0, 3), ['model', 'dataset', 'delta']);
});

test('δ sweeps follow the paper: 0..0.8 in 20 then 0.8..1 in 10; 0.75..1', () => {
  const s = paperDeltaSweep();
  assert.equal(s.length, 29);
  assert.equal(s[0], 0);
  assert.equal(s[s.length - 1], 1);
  close(s[1], 0.8 / 19, 1e-15);
  assert.equal(s.filter((d) => Math.abs(d - 0.8) < 1e-12).length, 1);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1]);
  const h = highDeltaSweep(11);
  assert.deepEqual(h.map((d) => Math.round(d * 1000) / 1000), [0.75, 0.775, 0.8, 0.825, 0.85, 0.875, 0.9, 0.925, 0.95, 0.975, 1]);
  assert.equal(highDeltaSweep().length, 20);
  assert.deepEqual(linspace(2, 3, 1), [2]);
});
