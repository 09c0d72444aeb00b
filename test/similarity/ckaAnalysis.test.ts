import { test } from 'node:test';
import * as aq from 'arquero';
import assert from 'node:assert/strict';
import { ckaAnalysis, ckaPartVsWhole, summariseCka } from '../../src/similarity/analyses.js';
import { randomNeuronIndices } from '../../src/select/index.js';

/** 8×7 block: the non-constant columns of the 8×8 Sylvester Hadamard matrix (centred, orthogonal, equal norm). */
function hadamardColumns(): { data: Float32Array; n: number; d: number } {
  const h = (i: number, j: number) => ((popcount(i & j) % 2) ? -1 : 1);
  const popcount = (x: number) => x.toString(2).split('').filter((c) => c === '1').length;
  const data = new Float32Array(8 * 7);
  for (let i = 0; i < 8; i++) for (let j = 1; j < 8; j++) data[i * 7 + j - 1] = h(i, j);
  return { data, n: 8, d: 7 };
}

test('part-whole CKA of k orthogonal equal-variance columns is √(k/d) (closed form)', async () => {
  const x = hadamardColumns();
  const t = await ckaPartVsWhole(x, { fractions: [1 / 7, 3 / 7, 5 / 7], seeds: [1, 2], selection: 'first' });
  const rows = t.objects() as any[];
  assert.deepEqual(rows.map((r) => r.k), [1, 3, 5]);
  for (const r of rows) assert.ok(Math.abs(r.cka - Math.sqrt(r.k / 7)) < 1e-6, `k=${r.k}: ${r.cka}`);
  // random subsets of the same size give the same value (any k columns are alike)
  const rnd = (await ckaAnalysis(x, { fractions: [3 / 7], seeds: [1, 2, 3] })).objects() as any[];
  const pw = rnd.filter((r) => r.mode === 'part-whole');
  assert.equal(pw.length, 3);
  for (const r of pw) assert.ok(Math.abs(r.cka - Math.sqrt(3 / 7)) < 1e-6);
  const ss = rnd.filter((r) => r.mode === 'subset-subset');
  assert.deepEqual(ss.map((r) => [r.seedA, r.seedB]), [[1, 2], [1, 3], [2, 3]]);
  // subset vs subset with orthogonal equal-norm columns: |S∩T| / k
  for (const r of ss) {
    const a = new Set(randomNeuronIndices(7, 3, r.seedA));
    const overlap = Array.from(randomNeuronIndices(7, 3, r.seedB)).filter((i) => a.has(i)).length;
    assert.ok(Math.abs(r.cka - overlap / 3) < 1e-6, `seeds ${r.seedA},${r.seedB}: ${r.cka} vs ${overlap}/3`);
  }
  const summary = summariseCka(await ckaAnalysis(x, { fractions: [3 / 7], seeds: [1, 2, 3] })).objects() as any[];
  assert.equal(summary.length, 2);
  assert.equal(summary.find((r) => r.mode === 'subset-subset').pairs, 3);
});

test('summariseCka skips undefined CKA (a constant subset) and counts it', () => {
  const t = aq.from([
    { model: 'm', dataset: 'x', selection: 'random', mode: 'part-whole', fraction: 0.1, k: 1, seedA: 1, seedB: null, cka: NaN },
    { model: 'm', dataset: 'x', selection: 'random', mode: 'part-whole', fraction: 0.1, k: 1, seedA: 2, seedB: null, cka: 0.5 },
  ]);
  const [row] = summariseCka(t).objects() as any[];
  assert.equal(row.ckaMean, 0.5);
  assert.equal(row.pairs, 1);
  assert.equal(row.undefinedPairs, 1);
});
