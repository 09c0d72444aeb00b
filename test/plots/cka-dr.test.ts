import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ckaFigure } from '../../src/plots/cka.js';
import { drCurveFigure } from '../../src/plots/dr.js';

test('CKA figure averages over seeds, titles by analysis, fixes the y range', () => {
  const rows = [
    { mode: 'part-whole', fraction: 0.1, k: 1, seedA: 1, cka: 0.4 },
    { mode: 'part-whole', fraction: 0.1, k: 1, seedA: 2, cka: 0.6 },
    { mode: 'part-whole', fraction: 1, k: 10, seedA: null, cka: 1 },
  ];
  const spec = ckaFigure(rows);
  assert.match(spec.layout.title.text, /part vs whole/);
  assert.deepEqual(spec.layout.yaxis.range, [0, 1.02]);
  const line = spec.data.find((t) => t.showlegend !== false);
  assert.deepEqual(line.x, [0.1, 1]);
  assert.ok(Math.abs(line.y[0] - 0.5) < 1e-12);
  assert.equal(spec.data.length, 2); // band (std 0.1 at f = 0.1) + line
});

test('CKA figure with x = k reads the paper\'s neurons column and mode-style rows', () => {
  const rows = [{ mode: 'subset-subset', fraction: 0.5, k: 4, cka: 0.9 }];
  const paper = [{ model: 'resnet50', downstream: 'cifar10', fraction: 0.25, neurons: 512, cka_mean: 0.95 }];
  const spec = ckaFigure(rows, { x: 'k', paper: { rows: paper } });
  assert.match(spec.layout.title.text, /subset vs subset/);
  const p = spec.data.find((t) => String(t.name).startsWith('paper'));
  assert.deepEqual(p.x, [512]);
  assert.deepEqual(p.y, [0.95]);
  assert.equal(p.line.dash, 'dash');
});

test('DR figure: interpolated solid, nearest dashed, same colour per model; paper dotted', () => {
  const rows = ['nearest', 'interpolated'].flatMap((estimator) => [0.5, 0.9].map((delta) => ({ model: 'm', dataset: 'd', estimator, delta, dr: 1 - delta / 2 })));
  const paper = [{ pretraining: 'std', downstream: 'cifar10', estimator: 'nearest', delta: 0.9, dr: 0.8 }];
  const spec = drCurveFigure(rows, { paper: { rows: paper } });
  const near = spec.data.find((t) => t.name.endsWith('(nearest)'));
  const interp = spec.data.find((t) => t.name.endsWith('(interpolated)'));
  assert.equal(near.line.dash, 'dash');
  assert.equal(interp.line.dash, 'solid');
  assert.equal(near.line.color, interp.line.color);
  assert.deepEqual(interp.x, [0.5, 0.9]);
  assert.deepEqual(interp.y, [0.75, 0.55]);
  const p = spec.data.find((t) => t.name.startsWith('paper'));
  assert.equal(p.line.dash, 'dot');
  assert.deepEqual(spec.layout.yaxis.range, [0, 1]);
  assert.equal(drCurveFigure(rows, { where: { estimator: 'nearest' } }).data.length, 1);
});
