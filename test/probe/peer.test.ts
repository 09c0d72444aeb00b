// Issue 9's "Done when": default softmax and ridge probes (λ chosen on validation data) are within 1 point of
// scikit-learn's best-of-penalty peer — its C / alpha tuned on the TEST set, an optimistic peer —
// at 5%, 25% and 100% of the neurons, on 6,000-row and 10-shot training data; on the 10-shot split
// the whole layer does not fall below half the layer. Peer accuracies: peer_accuracy.json, made by
// test/fixtures/probe/make_peer_fixtures.mjs from the same data (checked by fingerprint).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { selectNeurons } from '../../src/select/index.js';
import { runProbe } from '../../src/probe/run.js';
import { RidgeGram } from '../../src/probe/ridge.js';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { fingerprint, peerCases } from './peerCases.js';

interface PeerRow { fraction: number; k: number; logistic: { best: number }; ridge: { best: number } }
const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'probe', 'peer_accuracy.json'), 'utf8')) as {
  cases: { name: string; train: number[]; test: number[]; fractions: PeerRow[] }[];
};

for (const c of peerCases()) {
  test(`${c.name}: default softmax and ridge within 1 point of the test-tuned scikit-learn peer`, async (t) => {
    const ref = fixture.cases.find((x) => x.name === c.name)!;
    assert.ok(ref, `no fixture for ${c.name}`);
    assert.deepEqual(fingerprint(c.train, c.trainLabels), ref.train, 'training data differ from the fixture\'s');
    assert.deepEqual(fingerprint(c.test, c.testLabels), ref.test, 'test data differ from the fixture\'s');
    const gram = await RidgeGram.build(c.train, c.trainLabels, { classes: 10, holdout: true });
    const ours = new Map<number, { softmax: number; ridge: number }>();
    for (const row of ref.fractions) {
      const selection = await selectNeurons({ d: c.train.d, fraction: row.fraction, seed: 1, method: 'random' });
      assert.equal(selection.k, row.k);
      const train = { features: c.train, labels: c.trainLabels };
      const test = { features: c.test, labels: c.testLabels };
      const base = { classes: 10, linalg: referenceLinalg, ridgeGram: gram };
      const softmax = await runProbe(train, test, selection, { ...base, probe: 'softmax' });
      const ridge = await runProbe(train, test, selection, { ...base, probe: 'ridge' });
      assert.equal(softmax.penalty?.mode, 'auto');
      assert.ok(softmax.penalty?.validation.used && ridge.penalty?.validation.used);
      ours.set(row.fraction, { softmax: softmax.accuracy, ridge: ridge.accuracy });
      const what = `${c.name} f=${row.fraction} (k=${row.k})`;
      t.diagnostic(`${what}: softmax ${softmax.accuracy} (λ ${softmax.penalty?.l2.toPrecision(3)}) vs LogisticRegression best ${row.logistic.best}; ridge ${ridge.accuracy} (λ ${ridge.penalty?.l2.toPrecision(3)}) vs RidgeClassifier best ${row.ridge.best}`);
      assert.ok(softmax.accuracy >= row.logistic.best - 0.01, `${what}: softmax ${softmax.accuracy} (λ ${softmax.penalty?.l2}) vs LogisticRegression best ${row.logistic.best}`);
      // Ridge too: on the 10-shot split (pooled folds, 100 held-out rows) λ is ranked by held-out
      // squared error; ranked by accuracy it tied at half the layer and missed by 1.85 points.
      assert.ok(ridge.accuracy >= row.ridge.best - 0.01, `${what}: ridge ${ridge.accuracy} (λ ${ridge.penalty?.l2}) vs RidgeClassifier best ${row.ridge.best}`);
      const pooled = ridge.penalty?.validation.used && ridge.penalty.validation.folds !== undefined;
      assert.equal(ridge.penalty?.criterion, pooled ? 'squared-error' : undefined, `${what}: ridge λ criterion`);
    }
    const half = ours.get(0.5);
    const whole = ours.get(1)!;
    if (half) {
      assert.ok(whole.softmax >= half.softmax, `${c.name}: softmax whole layer ${whole.softmax} < half ${half.softmax}`);
      assert.ok(whole.ridge >= half.ridge, `${c.name}: ridge whole layer ${whole.ridge} < half ${half.ridge}`);
    }
  });
}
