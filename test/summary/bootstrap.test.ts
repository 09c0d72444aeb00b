import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { OutcomeSet, bootstrapInterval, decodeCorrect, encodeCorrect, percentileBounds, quantileSorted } from '../../src/summary/bootstrap.js';
import { decide } from '../../src/summary/verdict.js';
import { SeededRng } from '../../src/util/random.js';
import { findScipyPython, runPythonJson } from './scipyRef.js';

const python = findScipyPython();

/** Labels 0..C−1 cycling, and predictions right on the rows where `right(i)` is true (else label+1 mod C). */
function outcomes(n: number, classes: number, right: (i: number) => boolean) {
  const labels = Int32Array.from({ length: n }, (_, i) => i % classes);
  const ok = Array.from({ length: n }, (_, i) => right(i));
  const predictions = labels.map((l, i) => (ok[i] ? l : (l + 1) % classes));
  return { labels, correct: encodeCorrect(predictions, labels), accuracy: ok.filter(Boolean).length / n };
}

function resultsTable(rows: Array<Record<string, unknown>>) {
  const cols = ['model', 'dataset', 'selection', 'fraction', 'seed', 'accuracy', 'perClassAccuracy', 'correct'];
  return aq.table(Object.fromEntries(cols.map((c) => [c, rows.map((r) => r[c] ?? null)])));
}

test('correct-row bitsets round-trip', () => {
  const labels = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1]);
  const preds = Int32Array.from([0, 0, 2, 0, 2, 2, 1, 1, 2, 0, 0]);
  assert.deepEqual(Array.from(decodeCorrect(encodeCorrect(preds, labels), labels.length)), [0, 2, 3, 5, 7, 8, 9]);
  assert.throws(() => decodeCorrect(encodeCorrect(preds, labels), 30), /do not describe/);
});

test('bootstrap over test rows of one accuracy matches the binomial interval p ± 1.96·√(p(1−p)/n)', () => {
  const n = 2000;
  const rng = new SeededRng(5);
  const o = outcomes(n, 10, () => rng.nextFloat() < 0.8);
  const set = new OutcomeSet(resultsTable([{ model: 'm', dataset: 't', selection: 'random', fraction: 1, seed: null, accuracy: o.accuracy, correct: o.correct }]), () => o.labels);
  assert.ok(set.rowsResampled);
  const ci = bootstrapInterval(set, (v) => v.accuracy('m', 't', 'random', 1), { replicates: 2000, seed: 3 });
  const p = o.accuracy;
  const half = 1.959964 * Math.sqrt((p * (1 - p)) / n);
  assert.equal(ci.estimate, p);
  assert.ok(Math.abs(ci.lo - (p - half)) < 0.003 && Math.abs(ci.hi - (p + half)) < 0.003, `${ci.lo}, ${ci.hi} vs ${p} ± ${half}`);
  // Same seed, same interval; another seed, nearly the same.
  assert.deepEqual(bootstrapInterval(set, (v) => v.accuracy('m', 't', 'random', 1), { replicates: 2000, seed: 3 }), ci);
});

test('a paired difference of two probes on the same rows has the McNemar-type width, far below the unpaired one', () => {
  const n = 3000;
  // a right on rows i%10 < 8, b on i%10 < 8 plus rows with i%50 == 9: b − a = +0.02 on 2% discordant rows.
  const a = outcomes(n, 10, (i) => i % 10 < 8);
  const b = outcomes(n, 10, (i) => i % 10 < 8 || i % 50 === 9);
  const table = resultsTable([
    { model: 'a', dataset: 't', selection: 'random', fraction: 1, seed: null, accuracy: a.accuracy, correct: a.correct },
    { model: 'b', dataset: 't', selection: 'random', fraction: 1, seed: null, accuracy: b.accuracy, correct: b.correct },
  ]);
  const set = new OutcomeSet(table, () => a.labels);
  const ci = bootstrapInterval(set, (v) => v.accuracy('b', 't', 'random', 1) - v.accuracy('a', 't', 'random', 1), { replicates: 2000 });
  const d = b.accuracy - a.accuracy;
  // Var of the mean of per-row differences (0/1 on 2% of rows): d(1 − d)/n.
  const half = 1.959964 * Math.sqrt((d * (1 - d)) / n);
  assert.ok(Math.abs(ci.estimate - 0.02) < 1e-12);
  assert.ok(Math.abs(ci.hi - ci.lo - 2 * half) < 0.003, `width ${ci.hi - ci.lo} vs ${2 * half}`);
  const unpaired = 1.959964 * Math.sqrt((a.accuracy * (1 - a.accuracy) + b.accuracy * (1 - b.accuracy)) / n);
  assert.ok(ci.hi - ci.lo < unpaired, `paired width ${ci.hi - ci.lo} vs unpaired ${2 * unpaired}`);
  assert.equal(decide(ci, { direction: 'greater', margin: 0 }), 'holds');
});

test('two probes of equal true accuracy give an inconclusive "greater" verdict, seeds and rows resampled', () => {
  const rows: Array<Record<string, unknown>> = [];
  let labels: Int32Array | null = null;
  for (const model of ['a', 'b']) {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const rng = new SeededRng(seed * 31 + model.charCodeAt(0));
      const o = outcomes(1000, 10, () => rng.nextFloat() < 0.7);
      labels = o.labels;
      rows.push({ model, dataset: 't', selection: 'random', fraction: 0.1, seed, accuracy: o.accuracy, correct: o.correct });
    }
    const full = outcomes(1000, 10, (i) => i % 10 < 9);
    rows.push({ model, dataset: 't', selection: 'random', fraction: 1, seed: null, accuracy: full.accuracy, correct: full.correct });
  }
  const set = new OutcomeSet(resultsTable(rows), () => labels);
  assert.deepEqual(set.seeds(), [1, 2, 3, 4, 5, 6, 7, 8]);
  const ci = bootstrapInterval(set, (v) => v.accuracy('b', 't', 'random', 0.1) - v.accuracy('a', 't', 'random', 0.1), { replicates: 500 });
  assert.ok(ci.lo < 0 && ci.hi > 0, `${ci.lo} … ${ci.hi}`);
  assert.equal(decide(ci, { direction: 'greater', margin: 0 }), 'inconclusive');
  // The curve of a series has the full layer and means over seeds.
  const curve = set.observed().curve('a', 't', 'random');
  assert.deepEqual(curve.fractions, [0.1, 1]);
  assert.ok(Math.abs(curve.accuracies[1] - 0.9) < 1e-12);
});

test('without per-row outcomes only seeds are resampled, and the method says so', () => {
  const rows = [1, 2, 3, 4].map((seed) => ({ model: 'm', dataset: 't', selection: 'random', fraction: 0.5, seed, accuracy: 0.5 + seed / 100, perClassAccuracy: [0.5, 0.5 + seed / 50] }));
  const set = new OutcomeSet(resultsTable(rows), () => null);
  assert.equal(set.rowsResampled, false);
  const ci = bootstrapInterval(set, (v) => v.accuracy('m', 't', 'random', 0.5), { replicates: 400 });
  assert.match(ci.method, /seeds only/);
  assert.ok(ci.lo >= 0.51 && ci.hi <= 0.54 && ci.lo < ci.hi);
  assert.deepEqual(set.observed().perClass('m', 't', 'random', 0.5).map((x) => +x.toFixed(6)), [0.5, 0.55]);
});

test('percentile bounds use numpy\'s linear quantiles; too many undefined replicates give NaN bounds', { skip: python ? false : 'no numpy' }, () => {
  const v = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
  const ref = runPythonJson(python!, `import json, numpy as np; print(json.dumps(list(np.quantile(${JSON.stringify(v)}, [0.025, 0.3, 0.975]))))`);
  const s = [...v].sort((a, b) => a - b);
  [0.025, 0.3, 0.975].forEach((q, i) => assert.ok(Math.abs(quantileSorted(s, q) - ref[i]) < 1e-12));
  const b = percentileBounds([...v, NaN]);
  assert.ok(Number.isNaN(b.lo));
});
