import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ckaPartVsWhole, ckaSubsetVsSubset, PAPER_CKA_FRACTIONS } from '../../src/similarity/analyses.js';
import { SubsetCka } from '../../src/similarity/subsetCka.js';
import { linearCka } from '../../src/similarity/linearCka.js';
import { randomNeuronIndices } from '../../src/select/randomNeurons.js';
import { columns, layerLike } from './direct.js';

const x = layerLike(48, 40, 21);

test('part vs whole: one row per (fraction, seed), values equal linearCka on gathered columns', async () => {
  const fractions = [0.05, 0.25, 0.5, 1];
  for (const variant of ['linear', 'debiased'] as const) {
    const t = await ckaPartVsWhole(x, { fractions, variant });
    assert.equal(t.numRows(), fractions.length * 5);
    assert.deepEqual(t.columnNames(), ['mode', 'selection', 'variant', 'rng', 'fraction', 'k', 'd', 'n', 'seedA', 'seedB', 'cka']);
    for (const row of t.objects() as any[]) {
      assert.equal(row.mode, 'part-whole');
      assert.equal(row.seedB, null);
      assert.equal(row.k, Math.max(1, Math.floor(row.fraction * 40)));
      const part = columns(x, randomNeuronIndices(40, row.k, row.seedA));
      const want = await linearCka(part, x, { debiased: variant === 'debiased' });
      assert.ok(Math.abs(row.cka - want) < 1e-10, `${variant} f=${row.fraction} seed=${row.seedA}`);
    }
    const full = (t.objects() as any[]).filter((r) => r.fraction === 1);
    for (const r of full) assert.ok(Math.abs(r.cka - 1) < 1e-12);
  }
});

test('subset vs subset: seeds 1..5 give 10 pairs per fraction, equal to linearCka', async () => {
  const t = await ckaSubsetVsSubset(x, { fractions: [0.1, 0.3], variant: 'debiased', rng: 'torch' });
  assert.equal(t.numRows(), 20);
  const pairs = (t.objects() as any[]).filter((r) => r.fraction === 0.1).map((r) => `${r.seedA}-${r.seedB}`);
  assert.deepEqual(pairs, ['1-2', '1-3', '1-4', '1-5', '2-3', '2-4', '2-5', '3-4', '3-5', '4-5']);
  for (const row of t.objects() as any[]) {
    assert.equal(row.rng, 'torch');
    const a = columns(x, randomNeuronIndices(40, row.k, row.seedA, 'torch'));
    const b = columns(x, randomNeuronIndices(40, row.k, row.seedB, 'torch'));
    assert.ok(Math.abs(row.cka - (await linearCka(a, b, { debiased: true }))) < 1e-10);
  }
});

test('rows: only the first N rows enter the Gram', async () => {
  const t = await ckaPartVsWhole(x, { fractions: [0.25], seeds: [7], rows: 20 });
  const row = t.objects()[0] as any;
  assert.equal(row.n, 20);
  const head = { data: x.data.subarray(0, 20 * 40), n: 20, d: 40 };
  const want = await linearCka(columns(head, randomNeuronIndices(40, 10, 7)), head);
  assert.ok(Math.abs(row.cka - want) < 1e-10);
});

test('one prebuilt SubsetCka serves both analyses; mismatched requests are refused', async () => {
  const sc = await SubsetCka.fromFeatures(x);
  const a = await ckaPartVsWhole(sc, { fractions: PAPER_CKA_FRACTIONS });
  assert.equal(a.numRows(), PAPER_CKA_FRACTIONS.length * 5);
  const b = await ckaSubsetVsSubset(sc, { fractions: [0.5], seeds: [3, 4] });
  assert.equal(b.numRows(), 1);
  await assert.rejects(ckaPartVsWhole(sc, { fractions: [0.5], variant: 'debiased' }), /without \{ debiased: true \}/);
  await assert.rejects(ckaPartVsWhole(sc, { fractions: [0.5], rows: 10 }), /'rows'/);
  await assert.rejects(ckaSubsetVsSubset(sc, { fractions: [0.5], seeds: [1] }), /at least two seeds/);
  await assert.rejects(ckaPartVsWhole(sc, { fractions: [0.5], seeds: [1, 1] }), /distinct/);
  await assert.rejects(ckaPartVsWhole(sc, { fractions: [0] }), /fraction must be in/);
});
