import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fitSgdPaperProbe } from '../../src/probe/sgdPaper.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { loadProbeReference, maxAbsDiff } from './fixture.js';

const ref = loadProbeReference();

test('two full-batch steps follow PyTorch SGD (momentum, weight decay on weights and bias, step decay)', async () => {
  // 2 rows, 1 feature, 2 classes; batch covers the 90% train part (valFraction 0.5 keeps 1 row).
  const x = { data: Float32Array.from([2, -1, 0.5, 3]), n: 4, d: 1 };
  const y = Int32Array.from([1, 0, 0, 1]);
  const lr = 0.1, mu = 0.9, wd = 0.01;
  const fit = await fitSgdPaperProbe(x, y, {
    epochs: 2, stepEvery: 1, lr, momentum: mu, weightDecay: wd, batchSize: 16, valFraction: 0.25, evalEvery: 100,
    init: { k: 1, classes: 2, weights: Float64Array.from([0.2, -0.1]), bias: Float64Array.from([0.05, 0]) },
  });
  assert.deepEqual(fit.valHistory.map((v) => v.epoch), [2]);
  // Independent replay on the 3 training rows (which rows: everything not in the validation row).
  const { trainValSplit } = await import('../../src/datasets/splits.js');
  const rows = Array.from(trainValSplit(4, 0.25, 0).train);
  let w = [0.2, -0.1], b = [0.05, 0];
  let vw = [0, 0], vb = [0, 0];
  const grad = (): { gw: number[]; gb: number[] } => {
    const gw = [0, 0], gb = [0, 0];
    for (const r of rows) {
      const xv = x.data[r];
      const z = [xv * w[0] + b[0], xv * w[1] + b[1]];
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e[0] + e[1];
      for (let c = 0; c < 2; c++) {
        const g = (e[c] / s - (y[r] === c ? 1 : 0)) / rows.length;
        gw[c] += g * xv; gb[c] += g;
      }
    }
    return { gw, gb };
  };
  for (const rate of [lr, lr * 0.1]) {
    const { gw, gb } = grad();
    vw = vw.map((v, c) => mu * v + gw[c] + wd * w[c]);
    vb = vb.map((v, c) => mu * v + gb[c] + wd * b[c]);
    w = w.map((v, c) => v - rate * vw[c]);
    b = b.map((v, c) => v - rate * vb[c]);
  }
  assert.ok(maxAbsDiff(fit.model.weights, w) < 1e-6, `${fit.model.weights} vs ${w}`);
  assert.ok(maxAbsDiff(fit.model.bias, b) < 1e-6, `${fit.model.bias} vs ${b}`);
});

test('learns the fixture, is deterministic, and returns the best-validation checkpoint', async () => {
  const opts = { epochs: 20, stepEvery: 10, evalEvery: 5, weightDecay: 1e-4, batchSize: 32, seed: 3 };
  const a = await fitSgdPaperProbe(ref.train, ref.trainLabels, opts);
  const b = await fitSgdPaperProbe(ref.train, ref.trainLabels, opts);
  assert.deepEqual(a.model.weights, b.model.weights);
  assert.deepEqual(a.valHistory.map((v) => v.epoch), [5, 10, 15, 20]);
  assert.equal(a.bestValAccuracy, Math.max(...a.valHistory.map((v) => v.accuracy)));
  assert.equal(a.bestEpoch, a.valHistory.find((v) => v.accuracy === a.bestValAccuracy)!.epoch);
  const ev = await evaluateProbe(a.model, ref.test, ref.testLabels);
  // Raw, uncentred features (mean 3) make plain SGD slower than L-BFGS; well above chance (1/3).
  assert.ok(ev.accuracy > 0.8, `accuracy ${ev.accuracy}`);
});

test('bad settings are rejected by name', async () => {
  await assert.rejects(fitSgdPaperProbe(ref.train, ref.trainLabels, { epochs: 0 }), /epochs must be a positive integer/);
});
