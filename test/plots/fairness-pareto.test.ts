import { test } from 'node:test';
import assert from 'node:assert/strict';
import { giniVsAccuracyFigure, perClassHeatmapFigure } from '../../src/plots/fairness.js';
import { paretoFigure } from '../../src/plots/pareto.js';
import { gini } from '../../src/summary/inequality.js';

const runs = [
  { model: 'a', fraction: 0.1, k: 1, seed: 1, accuracy: 0.4, perClassAccuracy: [0.2, 0.6] },
  { model: 'a', fraction: 0.1, k: 1, seed: 2, accuracy: 0.6, perClassAccuracy: [0.4, 0.8] },
  { model: 'a', fraction: 1, k: 10, seed: null, accuracy: 0.9, perClassAccuracy: [0.9, 0.9] },
  { model: 'b', fraction: 1, k: 10, seed: null, accuracy: 0.8, perClassAccuracy: [0.7, 0.9] },
];

test('heatmap: classes × fractions of seed-averaged per-class accuracy, one panel per model', () => {
  const spec = perClassHeatmapFigure(runs, { classNames: ['zero', 'one'] });
  assert.equal(spec.data.length, 2);
  const a = spec.data[0];
  assert.equal(a.type, 'heatmap');
  assert.deepEqual(a.y, ['zero', 'one']);
  assert.deepEqual(a.x, ['0.1', '1 (all)']);
  assert.ok(Math.abs(a.z[0][0] - 0.3) < 1e-12 && Math.abs(a.z[1][0] - 0.7) < 1e-12);
  assert.deepEqual(a.z.map((r: number[]) => r[1]), [0.9, 0.9]);
  assert.equal(a.zmin, 0);
  assert.equal(a.zmax, 1);
  assert.equal(spec.data[1].xaxis, 'x2');
  assert.equal(spec.layout.xaxis2.type, 'category');
  assert.equal(spec.data.filter((t) => t.showscale).length, 1);
});

test('Gini vs accuracy computes the fairness table from runs (paper formula) and sorts by accuracy', () => {
  const spec = giniVsAccuracyFigure(runs, { where: { model: 'a' } });
  assert.equal(spec.data.length, 1);
  const t = spec.data[0];
  assert.deepEqual(t.x, [0.5, 0.9]);
  assert.ok(Math.abs(t.y[0] - gini([0.3, 0.7])) < 1e-12);
  assert.ok(Math.abs(t.y[1] - gini([0.9, 0.9])) < 1e-12);
  const pre = giniVsAccuracyFigure([{ model: 'x', fraction: 1, accuracyMean: 0.8, gini: 0.1 }]);
  assert.deepEqual(pre.data[0].y, [0.1]);
});

test('Pareto figure: frontier line through the hand-computed upper-left envelope', () => {
  const curves = [
    { model: 'a', dataset: 'd', fraction: 0.1, k: 1, accuracyMean: 0.5 },
    { model: 'a', dataset: 'd', fraction: 1, k: 10, accuracyMean: 0.9 },
    { model: 'b', dataset: 'd', fraction: 0.1, k: 2, accuracyMean: 0.4 }, // dominated by a@1
    { model: 'b', dataset: 'd', fraction: 1, k: 20, accuracyMean: 0.95 },
  ];
  const spec = paretoFigure(curves);
  const frontier = spec.data.find((t) => t.name === 'Pareto frontier');
  assert.deepEqual(frontier.x, [1, 10, 20]);
  assert.deepEqual(frontier.y, [0.5, 0.9, 0.95]);
  assert.equal(frontier.line.shape, 'hv');
  const b = spec.data.find((t) => t.name === 'b');
  assert.deepEqual(b.marker.symbol, ['circle', 'diamond']);
  assert.equal(spec.layout.xaxis.type, 'log');
});

test('Gini vs accuracy from runs draws ± std over seeds of each run\'s Gini, and the paper\'s range', () => {
  const perRun = [
    { model: 'm', fraction: 0.5, seed: 1, accuracy: 0.6, perClassAccuracy: [0.2, 1.0] },
    { model: 'm', fraction: 0.5, seed: 2, accuracy: 0.8, perClassAccuracy: [0.6, 1.0] },
    { model: 'm', fraction: 1, seed: 0, accuracy: 0.9, perClassAccuracy: [0.9, 0.9] },
  ];
  const spec = giniVsAccuracyFigure(perRun);
  const t = spec.data[0];
  const g1 = gini([0.2, 1.0]);
  const g2 = gini([0.6, 1.0]);
  assert.ok(Math.abs(t.y[0] - gini([0.4, 1.0])) < 1e-12, 'the point: Gini of the seed-averaged per-class accuracy');
  assert.ok(Math.abs(t.error_y.array[0] - Math.abs(g1 - g2) / 2) < 1e-12, 'population std of two values = half their gap');
  assert.ok(Math.abs(t.error_x.array[0] - 0.1) < 1e-12);
  assert.equal(t.error_y.array[1], 0);
  assert.deepEqual([spec.layout.shapes[0].y0, spec.layout.shapes[0].y1], [0.5, 0.64]);
  assert.equal(spec.layout.shapes[1].y0, 0.03);
  assert.equal(giniVsAccuracyFigure(perRun, { paper: false }).layout.shapes, undefined);
});
