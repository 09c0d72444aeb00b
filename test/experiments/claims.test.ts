import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { diagnose, undefinedCkaNotes, verdictFromInterval } from '../../src/experiments/claims.js';
import { ckaAnalysis, summariseCka } from '../../src/similarity/analyses.js';
import { deadUnitsByModel, nullDimension } from '../../src/summary/deadUnits.js';
import { computePcaBasis } from '../../src/select/pca.js';
import { SeededRng } from '../../src/util/random.js';

/** n×d features whose first `dead` columns are 0 on every row (dead ReLUs), the rest normal. */
function withDead(n: number, d: number, dead: number) {
  const rng = new SeededRng(4);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = dead; j < d; j++) data[i * d + j] = rng.nextNormal();
  return { data, n, d };
}

test('diagnosis: dead layers first, then where the interval lies', () => {
  const g = { direction: 'greater', margin: 0 } as const;
  const e = (lo: number, hi: number) => ({ estimate: (lo + hi) / 2, lo, hi, level: 0.95, method: 'm' });
  assert.equal(diagnose('does-not-hold', e(-0.3, -0.1), g, [{ model: 'a', share: 0.4 }, { model: 'b', share: 0.01 }]), 'a layer 40% dead; whole interval below 0');
  assert.equal(diagnose('inconclusive', e(-0.01, 0.02), g, []), 'interval [-0.010, 0.020] contains the margin 0: within seed / test-row noise');
  assert.equal(diagnose('holds', e(0.1, 0.2), g, []), '');
  assert.match(diagnose('inconclusive', e(NaN, NaN), g, []), /undefined/);
  const v = verdictFromInterval({ claim: 'c', paper: 'p', effectName: 'x', rule: { direction: 'within', margin: 0.1 }, models: ['a'], tasks: ['t'] },
    e(-0.05, 0.05), { models: ['a'], tasks: ['t'], probe: 'ridge', trainRows: { t: 10 }, testRows: { t: 5 }, seeds: [1] }, []);
  assert.deepEqual([v.answer, v.holds], ['holds', true]);
  assert.match(v.detail, /x: 0\.000 \[-0\.050, 0\.050\] \(95%, m\)/);
});

test('CKA of subsets made only of dead units is undefined and the notes say so', async () => {
  const f = withDead(60, 8, 4);
  // k = 1 subsets: seeds whose single neuron is dead give 0/0.
  const grid = await ckaAnalysis(f, { fractions: [1 / 8], seeds: [1, 2, 3, 4, 5, 6, 7, 8] });
  const undefinedCount = (grid.objects() as any[]).filter((r) => r.mode === 'part-whole' && !Number.isFinite(r.cka)).length;
  assert.ok(undefinedCount > 0, 'some single-neuron subset hits a dead unit');
  const notes = undefinedCkaNotes(summariseCka(grid));
  assert.ok(notes.some((n) => n.includes(`CKA undefined for ${undefinedCount} of 8`) && n.includes('constant on these rows: dead units')), notes.join('\n'));
});

test('PCA of a layer with dead units has a null space of that dimension', async () => {
  const basis = await computePcaBasis(withDead(80, 10, 3));
  assert.equal(nullDimension(basis.values), 3);
  assert.equal(nullDimension([5, 1, 1e-7, 0]), 2);
});

test('dead units per model from sweep results, with arquero verbs', () => {
  const t = aq.table({ model: ['a', 'a', 'b'], dataset: ['x', 'x', 'x'], d: [10, 10, 4], deadUnits: [2, 2, 1], nearConstantUnits: [1, 1, 1] });
  assert.deepEqual(deadUnitsByModel(t).objects(), [
    { model: 'b', dataset: 'x', d: 4, zeroVariance: 1, nearConstant: 1, deadShare: 0.5 },
    { model: 'a', dataset: 'x', d: 10, zeroVariance: 2, nearConstant: 1, deadShare: 0.3 },
  ]);
  assert.equal(deadUnitsByModel(aq.table({ model: ['a'] })).numRows(), 0);
});
