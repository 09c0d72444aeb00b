import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RidgeGram, fitRidgeProbe, fitRidgeFromMoments, fitRidgePrefixes, fitRidgePrefixesBlocked } from '../../src/probe/ridge.js';
import { seededUniform } from '../linalg/fixtures.js';
import { gatherColumns } from '../../src/probe/features.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { loadProbeReference, maxAbsDiff } from './fixture.js';

const ref = loadProbeReference();

test('ridge equals scikit-learn Ridge(alpha = n·λ) and numpy lstsq on the augmented system', async () => {
  for (const r of ref.ridge) {
    const model = await fitRidgeProbe(ref.train, ref.trainLabels, { l2: r.l2 });
    const scale = Math.max(...r.weights.map(Math.abs));
    assert.ok(maxAbsDiff(model.weights, r.weights) < 1e-7 * Math.max(1, scale), `weights at λ=${r.l2}`);
    assert.ok(maxAbsDiff(model.bias, r.bias) < 1e-6, `bias at λ=${r.l2}`);
    const ev = await evaluateProbe(model, ref.test, ref.testLabels);
    assert.equal(ev.accuracy, r.test_accuracy);
  }
});

test('a subset solve from the shared Gram equals a direct solve on the gathered columns', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const subset = Int32Array.from([5, 0, 3]);
  const shared = gram.fitIndices(subset, { l2: 1e-2 });
  const direct = await fitRidgeProbe(gatherColumns(ref.train, subset), ref.trainLabels, { l2: 1e-2 });
  assert.ok(maxAbsDiff(shared.weights, direct.weights) < 1e-9);
  assert.ok(maxAbsDiff(shared.bias, direct.bias) < 1e-9);
});

test('a projection solve from PᵀGP equals a direct solve on X·P', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const { d, n } = ref.train;
  const k = 3;
  const p = new Float32Array(d * k);
  for (let i = 0; i < p.length; i++) p[i] = Math.sin(1 + 7 * i) * 0.5;
  const projected = new Float32Array(n * k);
  for (let r = 0; r < n; r++) for (let a = 0; a < k; a++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += ref.train.data[r * d + j] * p[j * k + a];
    projected[r * k + a] = s;
  }
  const viaGram = await gram.fitProjection(p, k, { l2: 1e-2 });
  const direct = await fitRidgeProbe({ data: projected, n, d: k }, ref.trainLabels, { l2: 1e-2 });
  // float32 G·P and float32 X·P: agreement to float32 precision, not float64.
  assert.ok(maxAbsDiff(viaGram.weights, direct.weights) < 1e-4 * Math.max(...direct.weights.map(Math.abs)));
});

test('tiny hand-checked case: one feature, two classes', async () => {
  // x = [0, 1, 2, 3], y = [0, 0, 1, 1]; centred x = [-1.5,-.5,.5,1.5], Σx_c² = 5, Σx_c·(y1−½) = 2.
  // With λ = 0: slope for class 1 = 2/5 = 0.4, class 0 = −0.4; bias1 = ½ − 1.5·0.4 = −0.1.
  const model = await fitRidgeProbe({ data: Float32Array.from([0, 1, 2, 3]), n: 4, d: 1 }, Int32Array.from([0, 0, 1, 1]), { l2: 0 });
  assert.ok(maxAbsDiff(model.weights, [-0.4, 0.4]) < 1e-12);
  assert.ok(maxAbsDiff(model.bias, [1.1, -0.1]) < 1e-12);
  // λ = 0.25: (5 + 4·0.25)·w = 2 → w = 1/3.
  const pen = await fitRidgeProbe({ data: Float32Array.from([0, 1, 2, 3]), n: 4, d: 1 }, Int32Array.from([0, 0, 1, 1]), { l2: 0.25 });
  assert.ok(Math.abs(pen.weights[1] - 1 / 3) < 1e-12);
});

test('standardisation solves on unit-variance features and returns raw-unit weights', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const m = gram.forIndices(Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]));
  const std = fitRidgeFromMoments(m, { l2: 1e-2, standardize: true });
  // Direct: scale the data by 1/σ, fit, and map back.
  const { n, d } = ref.train;
  const sd = new Float64Array(d);
  for (let j = 0; j < d; j++) sd[j] = Math.sqrt(m.gram[j * d + j] / n);
  const scaled = new Float32Array(n * d);
  for (let i = 0; i < n * d; i++) scaled[i] = ref.train.data[i] / sd[i % d];
  const direct = await fitRidgeProbe({ data: scaled, n, d }, ref.trainLabels, { l2: 1e-2 });
  const mapped = direct.weights.map((w, i) => w / sd[Math.floor(i / ref.classes)]);
  assert.ok(maxAbsDiff(std.weights, mapped) < 1e-5 * Math.max(...mapped.map(Math.abs)));
});

test('λ = 0 on a singular Gram is a clear error', async () => {
  const dup = { data: Float32Array.from([1, 1, 2, 2, 3, 3, 4, 4]), n: 4, d: 2 };
  await assert.rejects(fitRidgeProbe(dup, Int32Array.from([0, 1, 0, 1]), { l2: 0 }), /singular; use l2 > 0/);
});

test('prefix fits from one factor equal separate fits on each prefix', async () => {
  const gram = await RidgeGram.build(ref.train, ref.trainLabels);
  const order = Int32Array.from([4, 7, 0, 2, 6, 1]);
  for (const standardize of [false, true]) {
    const many = await gram.fitPrefixes(order, [2, 6, 3], { l2: 1e-2, standardize });
    assert.deepEqual(many.map((mm) => mm.k), [2, 6, 3]);
    for (const mm of many) {
      const alone = gram.fitIndices(order.subarray(0, mm.k), { l2: 1e-2, standardize });
      assert.ok(maxAbsDiff(mm.weights, alone.weights) < 1e-12 * Math.max(1, ...alone.weights.map(Math.abs)));
      assert.ok(maxAbsDiff(mm.bias, alone.bias) < 1e-12);
    }
  }
});

test('prefix fits on the blocked factor (k = 400, past the unblocked size) equal those on the TypeScript factor; λ = 0 on a singular Gram is the same clear error', async () => {
  const rnd = seededUniform(17);
  const [n, d, classes] = [700, 400, 5];
  const train = { data: Float32Array.from({ length: n * d }, () => Math.max(0, rnd() - 0.3)), n, d };
  const labels = Int32Array.from({ length: n }, () => Math.floor(rnd() * classes));
  const gram = await RidgeGram.build(train, labels, { classes });
  const order = Int32Array.from({ length: d }, (_, i) => (i * 151) % d);
  const ks = [400, 250, 37];
  for (const standardize of [false, true]) {
    const blocked = await gram.fitPrefixes(order, ks, { l2: 1e-3, standardize });
    const plain = fitRidgePrefixes(gram.forIndices(order), ks, { l2: 1e-3, standardize });
    assert.deepEqual(blocked.map((mm) => mm.k), ks);
    blocked.forEach((mm, i) => {
      const scale = Math.max(1, ...plain[i].weights.map(Math.abs));
      assert.ok(maxAbsDiff(mm.weights, plain[i].weights) < 1e-9 * scale, `k ${mm.k}`);
      assert.ok(maxAbsDiff(mm.bias, plain[i].bias) < 1e-9 * scale);
    });
  }
  // 300 copies of one column: rank 1.
  const dup = { data: Float32Array.from({ length: 50 * 300 }, (_, i) => Math.floor(i / 300) % 7), n: 50, d: 300 };
  const dupGram = await RidgeGram.build(dup, Int32Array.from({ length: 50 }, (_, i) => i % 2), { classes: 2 });
  await assert.rejects(fitRidgePrefixesBlocked(dupGram.moments, [300], { l2: 0 }), /singular; use l2 > 0/);
});

test('prefix ridge on a Gram left indefinite by rounding (λ > 0): each prefix is fitted alone, the indefinite one on the nearest PSD Gram', async () => {
  // G = Q·diag(2, 1, −1e−3)·Qᵀ with Q a rotation; n·λ = 1e−5 cannot make it positive definite.
  const [c, s] = [Math.cos(0.7), Math.sin(0.7)];
  const q = [[c, -s, 0], [s * 0.6, c * 0.6, -0.8], [s * 0.8, c * 0.8, 0.6]];
  const ev = [2, 1, -1e-3];
  const gram = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let t = 0; t < 3; t++) gram[i * 3 + j] += q[i][t] * ev[t] * q[j][t];
  const xty = Float64Array.from([0.3, -0.3, -0.2, 0.2, 0.5, -0.5]);
  const m = { n: 10, d: 3, classes: 2, mean: Float64Array.from([1, 2, 3]), gram, xty, classMean: Float64Array.from([0.5, 0.5]) };
  const l2 = 1e-6;
  const [k3, k2] = await fitRidgePrefixesBlocked(m, [3, 2], { l2 });
  // k = 3: W = Q·diag(1/(max(evₜ, 0) + nλ))·Qᵀ·XᵀY (closed form).
  const want3 = new Float64Array(6);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    let a = 0;
    for (let t = 0; t < 3; t++) a += q[i][t] * q[j][t] / (Math.max(ev[t], 0) + m.n * l2);
    for (let cl = 0; cl < 2; cl++) want3[i * 2 + cl] += a * xty[j * 2 + cl];
  }
  assert.equal(k3.k, 3);
  assert.ok(maxAbsDiff(k3.weights, want3) < 1e-6 * Math.max(...want3.map(Math.abs)), `k=3 weights ${Array.from(k3.weights)} vs ${Array.from(want3)}`);
  // k = 2: the leading 2×2 block is positive definite, an ordinary ridge solve (2×2 inverse).
  const [a, b, d] = [gram[0] + m.n * l2, gram[1], gram[4] + m.n * l2];
  const det = a * d - b * b;
  const want2 = new Float64Array(4);
  for (let cl = 0; cl < 2; cl++) {
    want2[cl] = (d * xty[cl] - b * xty[2 + cl]) / det;
    want2[2 + cl] = (a * xty[2 + cl] - b * xty[cl]) / det;
  }
  assert.equal(k2.k, 2);
  assert.ok(maxAbsDiff(k2.weights, want2) < 1e-9 * Math.max(...want2.map(Math.abs)));
  // Intercepts: ȳ − μᵀW.
  for (const h of [k3, k2]) for (let cl = 0; cl < 2; cl++) {
    let bias = m.classMean[cl];
    for (let i = 0; i < h.k; i++) bias -= m.mean[i] * h.weights[i * 2 + cl];
    assert.ok(Math.abs(h.bias[cl] - bias) < 1e-9 * Math.max(1, Math.abs(bias)));
  }
  await assert.rejects(fitRidgePrefixesBlocked(m, [3], { l2: 0 }), /singular; use l2 > 0/);
});
