import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import {
  accuracyVsCostFigure, accuracyVsFractionFigure, accuracyVsNeuronsFigure, firstVsRandomFigure, selectionComparisonFigure, widthFigure,
} from '../../src/plots/accuracy.js';

/** Two models × fractions {0.1, 0.5} × seeds {1, 2} plus one full-layer run each; accuracy known by hand. */
function sweepRows(): Record<string, unknown>[] {
  const rows: Record<string, unknown>[] = [];
  for (const [model, base] of [['a', 0.5], ['b', 0.3]] as const) {
    for (const fraction of [0.1, 0.5]) {
      for (const seed of [1, 2]) {
        rows.push({ model, dataset: 'digits', selection: 'random', probe: 'ridge', fraction, k: fraction * 10, d: 10, seed, seconds: seed, accuracy: base + fraction / 2 + (seed === 1 ? -0.01 : 0.01) });
      }
    }
    rows.push({ model, dataset: 'digits', selection: 'random', probe: 'ridge', fraction: 1, k: 10, d: 10, seed: null, seconds: 3, accuracy: base + 0.5 });
  }
  return rows;
}

const close = (a: number, b: number) => Math.abs(a - b) < 1e-12;

test('accuracy vs fraction: one band + one line per model, log x, means and stds from the runs', () => {
  const spec = accuracyVsFractionFigure(sweepRows());
  assert.equal(spec.data.length, 4);
  assert.equal(spec.layout.xaxis.type, 'log');
  const lines = spec.data.filter((t) => t.showlegend !== false);
  assert.deepEqual(lines.map((t) => t.name), ['a', 'b']);
  assert.deepEqual(lines[0].x, [0.1, 0.5, 1]);
  [0.55, 0.75, 1.0].forEach((v, i) => assert.ok(close(lines[0].y[i], v), `mean at ${i}`));
  const band = spec.data[0];
  assert.equal(band.fill, 'toself');
  assert.ok(close(band.y[0], 0.55 + 0.01)); // population std of ±0.01 is 0.01
  assert.notEqual(lines[0].line.color, lines[1].line.color);
});

test('accuracy vs fraction: pre-aggregated curve rows pass through, paper rows become dashed traces', () => {
  const curves = aq.table({ model: ['m', 'm'], fraction: [0.2, 1], k: [2, 10], accuracyMean: [0.8, 0.9], accuracyStd: [0.05, 0] });
  const paper = [
    { model: 'resnet50', pretraining: 'imagenet1k_standard', downstream: 'cifar10', fraction: 0.2, neurons: 409, accuracy_mean: 0.8323, accuracy_std: 0.004 },
    { model: 'resnet50', pretraining: 'imagenet1k_standard', downstream: 'cifar10', fraction: 1, neurons: 2048, accuracy_mean: 0.8914, accuracy_std: 0 },
    { model: 'resnet50', pretraining: 'imagenet1k_standard', downstream: 'flowers102', fraction: 1, neurons: 2048, accuracy_mean: 0.1, accuracy_std: 0 },
  ];
  const spec = accuracyVsFractionFigure(curves, { paper: { rows: paper, where: { downstream: 'cifar10' } }, title: 'T' });
  assert.equal(spec.layout.title.text, 'T');
  const mine = spec.data.find((t) => t.name === 'm');
  assert.deepEqual(mine.y, [0.8, 0.9]);
  const paperLine = spec.data.find((t) => String(t.name).startsWith('paper') && t.showlegend !== false);
  assert.equal(paperLine.line.dash, 'dash');
  assert.deepEqual(paperLine.x, [0.2, 1]);
  assert.deepEqual(paperLine.y, [0.8323, 0.8914]);
});

test('accuracy vs neurons uses k on a log axis and the paper\'s neurons column', () => {
  const paper = [{ model: 'r', fraction: 0.5, neurons: 1024, accuracy_mean: 0.7 }];
  const spec = accuracyVsNeuronsFigure(sweepRows(), { where: { model: 'a' }, paper: { rows: paper } });
  assert.equal(spec.layout.xaxis.type, 'log');
  const line = spec.data.find((t) => t.name === 'a');
  assert.deepEqual(line.x, [1, 5, 10]);
  assert.ok(!spec.data.some((t) => t.name === 'b'), 'where filter drops model b');
  assert.deepEqual(spec.data.at(-1).x, [1024]);
});

test('width figure orders curves by layer width d', () => {
  const rows = [
    { model: 'wide', d: 64, fraction: 1, k: 64, accuracy: 0.9 },
    { model: 'narrow', d: 8, fraction: 1, k: 8, accuracy: 0.7 },
  ];
  const spec = widthFigure(rows);
  assert.deepEqual(spec.data.map((t) => t.name), ['narrow', 'wide']);
});

test('first-k vs random-k: colour per model, dash per selection', () => {
  const rows = ['first', 'random'].flatMap((selection) => ['m1', 'm2'].map((model) => ({ model, selection, fraction: 0.5, k: 4, accuracy: 0.5 })));
  const spec = firstVsRandomFigure(rows);
  const byName = Object.fromEntries(spec.data.map((t) => [t.name, t]));
  assert.equal(byName['m1 / first'].line.color, byName['m1 / random'].line.color);
  assert.notEqual(byName['m1 / first'].line.color, byName['m2 / first'].line.color);
  assert.equal(byName['m1 / first'].line.dash, 'solid');
  assert.equal(byName['m1 / random'].line.dash, 'dash');
});

test('selection comparison: one colour per selection', () => {
  const rows = ['random', 'pca', 'randproj'].map((selection, i) => ({ model: 'm', selection, fraction: 0.1, k: 1, accuracy: 0.1 * (i + 1) }));
  const spec = selectionComparisonFigure(rows);
  assert.equal(spec.data.length, 3);
  assert.equal(new Set(spec.data.map((t) => t.line.color)).size, 3);
  assert.deepEqual(spec.data.map((t) => t.y[0]), [0.1, 0.2, 0.30000000000000004]);
});

test('accuracy vs cost: bytes are 4 per kept neuron; seconds are the mean probe time per fraction', () => {
  const bytes = accuracyVsCostFigure(sweepRows(), { cost: 'bytes', where: { model: 'a' } });
  const line = bytes.data.find((t) => t.name === 'a');
  assert.deepEqual(line.x, [4, 20, 40]);
  const secs = accuracyVsCostFigure(sweepRows(), { cost: 'seconds', where: { model: 'a' } });
  // fractions 0.1 and 0.5 have seconds 1 and 2 (mean 1.5, one x for both); the full layer 3.
  assert.deepEqual(secs.data.find((t) => t.name === 'a').x, [1.5, 3]);
  assert.equal(bytes.layout.xaxis.type, 'log');
});

test('missing columns give an error naming the builder and the columns', () => {
  assert.throws(() => accuracyVsFractionFigure([{ model: 'a', fraction: 1 }]), /accuracy/);
  assert.throws(() => accuracyVsCostFigure([{ fraction: 1, k: 1, accuracy: 1 }], { cost: 'seconds' }), /seconds/);
});
