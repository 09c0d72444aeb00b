import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { markParetoFrontier, paretoFrontier, paretoFrontierIndices } from '../../src/summary/pareto.js';

test('frontier of hand-made points: dominated and duplicate points are dropped', () => {
  const pts = [
    { neurons: 10, accuracy: 0.5 }, // 0 frontier
    { neurons: 20, accuracy: 0.45 }, // 1 dominated by 0
    { neurons: 20, accuracy: 0.7 }, // 2 frontier
    { neurons: 40, accuracy: 0.7 }, // 3 dominated (same accuracy, more neurons)
    { neurons: 5, accuracy: 0.2 }, // 4 frontier
    { neurons: 80, accuracy: 0.9 }, // 5 frontier
    { neurons: 80, accuracy: 0.9 }, // 6 duplicate of 5: dropped
    { neurons: 100, accuracy: NaN }, // 7 skipped
  ];
  assert.deepEqual(paretoFrontierIndices(pts), [4, 0, 2, 5]);
  assert.deepEqual(paretoFrontierIndices([]), []);
});

test('frontier per task across models, with the onFrontier mark', () => {
  const t = aq.from([
    { model: 'wide', dataset: 'x', k: 64, accuracyMean: 0.8 },
    { model: 'wide', dataset: 'x', k: 8, accuracyMean: 0.3 },
    { model: 'narrow', dataset: 'x', k: 8, accuracyMean: 0.5 },
    { model: 'narrow', dataset: 'x', k: 16, accuracyMean: 0.6 },
    { model: 'narrow', dataset: 'y', k: 16, accuracyMean: 0.1 },
  ]);
  const f = paretoFrontier(t).objects() as any[];
  assert.deepEqual(f.map((r) => [r.dataset, r.model, r.k]), [['x', 'narrow', 8], ['x', 'narrow', 16], ['x', 'wide', 64], ['y', 'narrow', 16]]);
  const marked = markParetoFrontier(t).array('onFrontier');
  assert.deepEqual(Array.from(marked), [true, false, true, true, true]);
  // one frontier over everything when grouping by nothing
  assert.equal(paretoFrontier(t, { groupBy: [] }).numRows(), 3);
});
