import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { groupBy, meanByX, rowsOf, seriesTraces, varyingKeys, withAlpha } from '../../src/plots/spec.js';

test('rowsOf reads arquero tables and copies row arrays', () => {
  const t = aq.table({ a: [1, 2], b: ['x', 'y'] });
  assert.deepEqual(rowsOf(t), [{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
  const rows = [{ a: 1 }];
  const copy = rowsOf(rows);
  assert.notEqual(copy, rows);
  assert.deepEqual(copy, rows);
});

test('meanByX: mean and population std per x, sorted by x', () => {
  const rows = [{ f: 0.5, y: 1 }, { f: 0.1, y: 2 }, { f: 0.5, y: 3 }, { f: 0.1, y: 4 }, { f: 0.1, y: 6 }];
  const pts = meanByX(rows, 'f', 'y');
  assert.deepEqual(pts.map((p) => p.x), [0.1, 0.5]);
  assert.equal(pts[0].mean, 4);
  // population std of 2, 4, 6 = sqrt(8/3)
  assert.ok(Math.abs(pts[0].std - Math.sqrt(8 / 3)) < 1e-12);
  assert.equal(pts[1].mean, 2);
  assert.equal(pts[1].std, 1);
  assert.equal(pts[0].runs, 3);
});

test('varyingKeys keeps only present columns with several values (else the first present one)', () => {
  const rows = [{ model: 'a', dataset: 'd', probe: 'ridge' }, { model: 'b', dataset: 'd', probe: 'ridge' }];
  assert.deepEqual(varyingKeys(rows, ['model', 'dataset', 'selection', 'probe']), ['model']);
  assert.deepEqual(varyingKeys([rows[0]], ['selection', 'dataset', 'model']), ['dataset']);
});

test('groupBy keeps first-seen order and labels joined values', () => {
  const g = groupBy([{ m: 'b', s: 1 }, { m: 'a', s: 2 }, { m: 'b', s: 3 }], ['m']);
  assert.deepEqual(g.map((x) => x.label), ['b', 'a']);
  assert.equal(g[0].rows.length, 2);
});

test('withAlpha converts hex to rgba', () => {
  assert.equal(withAlpha('#1f77b4', 0.2), 'rgba(31,119,180,0.2)');
});

test('seriesTraces: band polygon is mean+std forward then mean−std backward, then the line', () => {
  const traces = seriesTraces({
    name: 's', colour: '#000000', band: true,
    points: [{ x: 1, mean: 0.5, std: 0.1, runs: 2 }, { x: 2, mean: 0.7, std: 0.2, runs: 2 }],
  });
  assert.equal(traces.length, 2);
  assert.equal(traces[0].fill, 'toself');
  assert.equal(traces[0].showlegend, false);
  assert.deepEqual(traces[0].x, [1, 2, 2, 1]);
  const y = traces[0].y as number[];
  [0.6, 0.9, 0.5, 0.4].forEach((v, i) => assert.ok(Math.abs(y[i] - v) < 1e-12));
  assert.deepEqual(traces[1].y, [0.5, 0.7]);
  assert.equal(traces[1].legendgroup, traces[0].legendgroup);
  // Without spread (all std 0) no band is drawn.
  assert.equal(seriesTraces({ name: 's', colour: '#000000', band: true, points: [{ x: 1, mean: 1, std: 0, runs: 1 }] }).length, 1);
});
