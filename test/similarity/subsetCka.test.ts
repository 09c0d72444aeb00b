import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { SubsetCka } from '../../src/similarity/subsetCka.js';
import { linearCka } from '../../src/similarity/linearCka.js';
import { columns, directCka, layerLike } from './direct.js';

interface SubsetCase {
  s: number[]; t: number[]; firstRows: number;
  partWhole: { linear: number; debiased: number };
  subsetSubset: { linear: number; debiased: number };
  partWholeFirstRows: { linear: number; debiased: number };
}
const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'similarity', 'cka_fixtures.json'), 'utf8')) as {
  layer: { n: number; d: number; x: number[]; cases: SubsetCase[] };
};

test('subset CKA from one Gram equals the numpy n×n fixtures, both variants', async () => {
  const { n, d } = fixture.layer;
  const x = { data: Float32Array.from(fixture.layer.x), n, d };
  const sc = await SubsetCka.fromFeatures(x, { debiased: true });
  const firstRows = await SubsetCka.fromFeatures(x, { debiased: true, rows: fixture.layer.cases[0].firstRows });
  assert.equal(firstRows.n, fixture.layer.cases[0].firstRows);
  for (const c of fixture.layer.cases) {
    for (const variant of ['linear', 'debiased'] as const) {
      const what = `S=${c.s} T=${c.t} ${variant}`;
      assert.ok(Math.abs(sc.partVsWhole(Int32Array.from(c.s), variant) - c.partWhole[variant]) < 1e-12, what);
      assert.ok(Math.abs(sc.subsetVsSubset(c.s, c.t, variant) - c.subsetSubset[variant]) < 1e-12, what);
      assert.ok(Math.abs(firstRows.partVsWhole(c.s, variant) - c.partWholeFirstRows[variant]) < 1e-12, what);
    }
  }
});

test('subset CKA equals direct n×n CKA and linearCka on the gathered columns (1e-10)', async () => {
  const x = layerLike(60, 16, 11);
  const sc = await SubsetCka.fromFeatures(x, { debiased: true });
  const cases: [number[], number[]][] = [[[3, 1, 15], [0, 1, 2, 3, 4]], [[7], [8]], [[0, 5, 9, 12], [12, 9, 5, 0]], [[2, 3, 4, 5, 6, 7, 8, 9], [10, 11]]];
  for (const [s, t] of cases) {
    const xs = columns(x, s);
    const xt = columns(x, t);
    for (const debiased of [false, true]) {
      const variant = debiased ? 'debiased' : 'linear';
      const what = `S=${s} T=${t} ${variant}`;
      assert.ok(Math.abs(sc.subsetVsSubset(s, t, variant) - directCka(xs, xt, debiased)) < 1e-10, what);
      assert.ok(Math.abs(sc.partVsWhole(s, variant) - directCka(xs, x, debiased)) < 1e-10, what);
      assert.ok(Math.abs(sc.subsetVsSubset(s, t, variant) - (await linearCka(xs, xt, { debiased }))) < 1e-10, what);
    }
  }
});

test('the float32 squares Gram stays within 1e-6 of the split one', async () => {
  const x = layerLike(80, 12, 4);
  const exact = await SubsetCka.fromFeatures(x, { debiased: true });
  const rough = await SubsetCka.fromFeatures(x, { debiased: true, squares: 'float32' });
  const s = [0, 4, 5, 9];
  assert.ok(Math.abs(exact.partVsWhole(s, 'debiased') - rough.partVsWhole(s, 'debiased')) < 1e-6);
});

test('identities: whole layer = 1, a subset with itself = 1, symmetry, permutation of indices', async () => {
  const x = layerLike(40, 10, 2);
  const sc = await SubsetCka.fromFeatures(x, { debiased: true });
  const all = Int32Array.from({ length: 10 }, (_, i) => i);
  for (const variant of ['linear', 'debiased'] as const) {
    assert.ok(Math.abs(sc.partVsWhole(all, variant) - 1) < 1e-12);
    assert.ok(Math.abs(sc.subsetVsSubset([1, 4, 6], [6, 1, 4], variant) - 1) < 1e-12);
    assert.ok(Math.abs(sc.subsetVsSubset([1, 4], [2, 3, 9], variant) - sc.subsetVsSubset([2, 3, 9], [1, 4], variant)) < 1e-14);
    const prepared = sc.prepare([9, 3, 2]);
    assert.equal(sc.partVsWhole(prepared, variant), sc.partVsWhole([2, 3, 9], variant));
  }
  assert.deepEqual(Array.from(sc.prepare([9, 3, 2]).indices), [2, 3, 9]);
});

test('a prepared subset from another Gram is recomputed, not trusted', async () => {
  const a = await SubsetCka.fromFeatures(layerLike(30, 6, 1));
  const b = await SubsetCka.fromFeatures(layerLike(30, 6, 2));
  const foreign = a.prepare([0, 2]);
  assert.equal(b.partVsWhole(foreign), b.partVsWhole([0, 2]));
});

test('errors: debiased without its statistics, out-of-range indices, too few rows', async () => {
  const sc = await SubsetCka.fromFeatures(layerLike(20, 5, 1));
  assert.throws(() => sc.partVsWhole([0], 'debiased'), /debiased: true/);
  assert.throws(() => sc.partVsWhole([5]), /\[0, 5\)/);
  assert.throws(() => sc.partVsWhole([]), /empty subset/);
  await assert.rejects(SubsetCka.fromFeatures(layerLike(3, 5, 1), { debiased: true }), /at least 4 rows/);
});

test('prefix sweeps equal the one-subset-at-a-time computations', async () => {
  const x = layerLike(40, 30, 8);
  const sc = await SubsetCka.fromFeatures(x, { debiased: true });
  const p = Int32Array.from([29, 3, 17, 0, 8, 22, 5, 11, 14, 2, 27, 19]);
  const q = Int32Array.from([4, 17, 28, 9, 1, 3, 25, 12, 20, 7, 6, 13]);
  const ks = [1, 2, 5, 9, 12];
  const prefixes = sc.preparePrefixes(p, ks);
  for (let i = 0; i < ks.length; i++) {
    const one = sc.prepare(p.subarray(0, ks[i]));
    assert.deepEqual(prefixes[i].indices, one.indices);
    for (const key of ['selfSquared', 'wholeSquared', 'trace', 'squaresSelf', 'squaresWhole'] as const) {
      assert.ok(Math.abs(prefixes[i][key] - one[key]) <= 1e-12 * Math.abs(one[key]), `${key} k=${ks[i]}`);
    }
  }
  for (const variant of ['linear', 'debiased'] as const) {
    const swept = sc.prefixSubsetVsSubset(p, q, ks, variant);
    ks.forEach((k, i) => {
      const want = sc.subsetVsSubset(p.subarray(0, k), q.subarray(0, k), variant);
      assert.ok(Math.abs(swept[i] - want) < 1e-12, `${variant} k=${k}`);
    });
  }
  assert.throws(() => sc.preparePrefixes(p, [3, 2]), /ascending distinct/);
  assert.throws(() => sc.preparePrefixes(p, [13]), /\[1, 12\]/);
  const grid = sc.prefixGrid([p, q, p.slice().reverse()], ks, 'debiased');
  assert.equal(grid.pairs.length, 3);
  ks.forEach((k, i) => {
    assert.ok(Math.abs(grid.pairs[0][i] - sc.subsetVsSubset(p.subarray(0, k), q.subarray(0, k), 'debiased')) < 1e-12);
    assert.ok(Math.abs(grid.pairs[2][i] - sc.subsetVsSubset(q.subarray(0, k), p.slice().reverse().subarray(0, k), 'debiased')) < 1e-12);
  });
  assert.throws(() => sc.preparePrefixes(Int32Array.from([1, 2, 1]), [3]), /appears twice/);
  assert.throws(() => sc.preparePrefixes(Int32Array.from([1, 30]), [2]), /\[0, 30\)/);
  const linearOnly = await SubsetCka.fromFeatures(x);
  assert.throws(() => linearOnly.prefixGrid([p, q], ks, 'debiased'), /debiased: true/);
});
