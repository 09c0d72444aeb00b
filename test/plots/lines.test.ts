import { test } from 'node:test';
import assert from 'node:assert/strict';
import { filterRowsWhere, linesFigure, paperTraces } from '../../src/plots/lines.js';

const rows = [
  { model: 'a', dataset: 'x', fraction: 0.1, accuracy: 0.3 },
  { model: 'a', dataset: 'y', fraction: 0.1, accuracy: 0.4 },
  { model: 'b', dataset: 'x', fraction: 0.30000000000000004, accuracy: 0.5 },
];

test('filterRowsWhere: equality, lists of values, numbers within 1e-9', () => {
  assert.equal(filterRowsWhere(rows, { dataset: 'x' }).length, 2);
  assert.equal(filterRowsWhere(rows, { model: ['a', 'b'], dataset: 'y' }).length, 1);
  assert.equal(filterRowsWhere(rows, { fraction: 0.3 }).length, 1);
  assert.equal(filterRowsWhere(rows, undefined).length, 3);
});

test('linesFigure: one curve per varying series column, without bands when asked', () => {
  const spec = linesFigure(rows, { x: 'fraction', y: { run: 'accuracy' }, band: false, title: 't', xTitle: 'x', yTitle: 'y' });
  assert.deepEqual(spec.data.map((t) => t.name), ['a / x', 'a / y', 'b / x']);
  assert.equal(spec.layout.xaxis.type, 'linear');
  assert.equal(spec.layout.xaxis.title.text, 'x');
});

test('linesFigure names the missing y column', () => {
  assert.throws(() => linesFigure([{ fraction: 1 }], { x: 'fraction', y: { run: 'cka', mean: 'ckaMean' }, title: 'CKA', xTitle: '', yTitle: '' }), /CKA: input rows need a 'cka' or 'ckaMean' column/);
});

test('paperTraces picks the paper\'s mean column and labels curves by the varying keys', () => {
  const paper = [
    { model: 'r', pretraining: 'std', downstream: 'c', fraction: 1, cka_mean: 1 },
    { model: 'r', pretraining: 'l2', downstream: 'c', fraction: 1, cka_mean: 0.9 },
  ];
  const traces = paperTraces({ rows: paper }, 'fraction', 0);
  assert.deepEqual(traces.map((t) => t.name), ['paper: std', 'paper: l2']);
  assert.deepEqual(traces.map((t) => t.y[0]), [1, 0.9]);
  assert.ok(traces.every((t) => t.line.dash === 'dash'));
});
