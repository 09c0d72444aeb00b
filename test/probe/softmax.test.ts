import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EXACT_LOGITS_EVERY, SoftmaxObjective, fitSoftmaxProbe } from '../../src/probe/softmax.js';
import { minimizeLbfgs } from '../../src/probe/lbfgs.js';
import { centredMoments } from '../../src/probe/gram.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { evaluateBoth, loadProbeReference, maxAbsDiff } from './fixture.js';

const ref = loadProbeReference();

test('gradient matches central finite differences (whitened coordinates, standardised or not)', async () => {
  for (const standardize of [false, true]) {
    const moments = await centredMoments(ref.train, ref.trainLabels);
    const obj = new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, standardize, classes: ref.classes }, referenceLinalg);
    const theta = new Float64Array(obj.size);
    for (let i = 0; i < theta.length; i++) theta[i] = 0.3 * Math.sin(3 + i * 1.7);
    const grad = new Float64Array(obj.size);
    await obj.evaluate(theta, grad);
    const scratch = new Float64Array(obj.size);
    const h = 1e-3;
    for (let i = 0; i < theta.length; i += 2) {
      const t = Float64Array.from(theta);
      t[i] += h; const fp = await obj.evaluate(t, scratch);
      t[i] -= 2 * h; const fm = await obj.evaluate(t, scratch);
      const fd = (fp - fm) / (2 * h);
      // float32 logits limit the agreement to ~1e-5 absolute.
      assert.ok(Math.abs(fd - grad[i]) < 2e-4 * Math.max(1, Math.abs(fd)), `θ[${i}] (standardize=${standardize}): fd ${fd} vs ${grad[i]}`);
    }
  }
});

test('line search on the logits: value and slope along a direction equal full evaluations there, and a move gives the full gradient', async () => {
  const moments = await centredMoments(ref.train, ref.trainLabels);
  const mask = Uint8Array.from({ length: ref.train.n }, (_, i) => (i % 6 === 2 ? 0 : 1));
  const kept = Int32Array.from({ length: ref.train.n }, (_, i) => i).filter((i) => mask[i] === 1);
  const keptBlock = { data: new Float32Array(kept.length * ref.train.d), n: kept.length, d: ref.train.d };
  kept.forEach((r, t) => keptBlock.data.set(ref.train.data.subarray(r * ref.train.d, (r + 1) * ref.train.d), t * ref.train.d));
  const maskedMoments = await centredMoments(keptBlock, Int32Array.from(kept, (r) => ref.trainLabels[r]));
  for (const [rowMask, m] of [[undefined, moments], [mask, maskedMoments]] as const) {
    const line = new SoftmaxObjective(ref.train, ref.trainLabels, m, { l2: 0.01, standardize: true, classes: ref.classes, rowMask }, referenceLinalg);
    const full = new SoftmaxObjective(ref.train, ref.trainLabels, m, { l2: 0.01, standardize: true, classes: ref.classes, rowMask }, referenceLinalg);
    let theta = new Float64Array(line.size).map((_, i) => 0.2 * Math.sin(2 + 0.9 * i));
    const g = new Float64Array(line.size);
    const gFull = new Float64Array(line.size);
    await line.evaluate(theta, g);
    // More moves than EXACT_LOGITS_EVERY: the updated logits and the recomputed ones both serve.
    for (let step = 0; step < EXACT_LOGITS_EVERY + 3; step++) {
      const dir = new Float64Array(line.size).map((_, i) => 0.1 * Math.cos(step + 1.3 * i));
      await line.lineStart(theta, dir);
      for (const a of [0.25, 1.5, 0.7]) {
        const { f, d } = line.lineValue(a);
        const at = theta.map((v, i) => v + a * dir[i]);
        const fFull = await full.evaluate(at, gFull);
        const dFull = gFull.reduce((sum, v, i) => sum + v * dir[i], 0);
        // Float32 logits (both routes) limit the agreement to ~1e-7 of the loss.
        assert.ok(Math.abs(f - fFull) <= 1e-6 * Math.abs(fFull), `step ${step}, a ${a}: f ${f} vs ${fFull}`);
        assert.ok(Math.abs(d - dFull) <= 1e-5 * Math.max(1e-3, Math.abs(dFull)), `step ${step}, a ${a}: slope ${d} vs ${dFull}`);
      }
      // Accepting the last step tried reuses its residual; the first one tried is recomputed.
      const a = step % 2 === 0 ? 0.7 : 0.25;
      const next = theta.map((v, i) => v + a * dir[i]);
      const f = await line.lineAccept(a, next, g);
      const fFull = await full.evaluate(next, gFull);
      assert.ok(Math.abs(f - fFull) <= 1e-6 * Math.abs(fFull), `move ${step}: f ${f} vs ${fFull}`);
      assert.ok(maxAbsDiff(g, gFull) <= 1e-5 * Math.max(...gFull.map(Math.abs)), `move ${step}: gradient`);
      theta = next;
    }
  }
});

test('L-BFGS with the logits line search reaches the same optimum as with full evaluations, with one gradient pass per iteration', async () => {
  const moments = await centredMoments(ref.train, ref.trainLabels);
  const make = () => new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 1e-3, classes: ref.classes }, referenceLinalg);
  const a = make();
  const b = make();
  const x0 = new Float64Array(a.size);
  const opts = { gtol: 1e-7, ftol: 1e-13, maxIterations: 1000 };
  const plain = await minimizeLbfgs((t, g) => a.evaluate(t, g), x0, opts);
  const lined = await minimizeLbfgs((t, g) => b.evaluate(t, g), x0, {
    ...opts, line: { start: (x, d) => b.lineStart(x, d), value: (s) => b.lineValue(s), accept: (s, nx, g) => b.lineAccept(s, nx, g) },
  });
  assert.ok(Math.abs(lined.f - plain.f) <= 1e-7 * plain.f, `loss ${lined.f} vs ${plain.f}`);
  assert.equal(plain.lineEvaluations, 0);
  assert.equal(lined.evaluations, lined.iterations + 1);
  assert.ok(lined.lineEvaluations >= lined.iterations);
  // The head: the optimum is unique (strictly convex), so the weights agree to the solver tolerance.
  const wa = a.toModel(plain.x).weights;
  const wb = b.toModel(lined.x).weights;
  assert.ok(maxAbsDiff(wa, wb) <= 1e-3 * Math.max(...wa.map(Math.abs)), 'weights');
});

test('toModel and fromModel are inverse maps', async () => {
  const moments = await centredMoments(ref.train, ref.trainLabels);
  const obj = new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, standardize: true, classes: ref.classes }, referenceLinalg);
  const theta = new Float64Array(obj.size).map((_, i) => Math.cos(i));
  assert.ok(maxAbsDiff(obj.fromModel(obj.toModel(theta)), theta) < 1e-9);
});

test('gradientInfAtZero (from the moments) equals ‖∇f(0)‖∞ of a full evaluation', async () => {
  const moments = await centredMoments(ref.train, ref.trainLabels);
  for (const standardize of [false, true]) {
    const obj = new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, standardize, classes: ref.classes }, referenceLinalg);
    const g = new Float64Array(obj.size);
    await obj.evaluate(new Float64Array(obj.size), g);
    const direct = g.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    assert.ok(Math.abs(obj.gradientInfAtZero() - direct) <= 1e-5 * direct, `standardize=${standardize}: ${obj.gradientInfAtZero()} vs ${direct}`);
  }
  await assert.rejects(async () => new SoftmaxObjective({ ...ref.train, n: ref.train.n - 1, data: ref.train.data.subarray(0, (ref.train.n - 1) * ref.train.d) }, ref.trainLabels.subarray(1), moments, { l2: 0.01, classes: ref.classes }, referenceLinalg), /moments describe \d+ rows/);
});

test('reaches scikit-learn LogisticRegression(lbfgs, C = 1/(nλ)) loss, weights and accuracy', async () => {
  for (const r of ref.softmax) {
    const fit = await fitSoftmaxProbe(ref.train, ref.trainLabels, { l2: r.l2, gtol: 1e-7, ftol: 1e-13 });
    assert.ok(fit.loss <= r.loss + 1e-6, `λ=${r.l2}: loss ${fit.loss} vs sklearn ${r.loss}`);
    const scale = Math.max(...r.weights.map(Math.abs));
    // Softmax weights are defined up to a per-row constant shift across classes; sklearn's
    // penalised optimum has zero-sum rows, as does ours (the penalty fixes the shift).
    assert.ok(maxAbsDiff(fit.model.weights, r.weights) < 2e-3 * scale, `λ=${r.l2}: weights`);
    const ev = await evaluateProbe(fit.model, ref.test, ref.testLabels);
    assert.ok(Math.abs(ev.accuracy - r.test_accuracy) <= 0.005, `λ=${r.l2}: acc ${ev.accuracy} vs ${r.test_accuracy}`);
    assert.ok(fit.iterations < 200, `λ=${r.l2}: ${fit.iterations} iterations`);
  }
});

test('a fit at its evaluation precision stops on the first failed line search, not after one per iteration', async () => {
  // Float32 logits leave ~1e-8 of noise in the loss: past it, each strong-Wolfe search spent its
  // 20 evaluations for changes below the noise (measured here before the rule: 96 evaluations over
  // 45 iterations at λ = 1e-4, 81 over 19 at λ = 1; after: 59 over 39, 33 over 16, losses equal to 5e-9).
  const { features, labels } = synthesizeFeatures({ n: 3000, d: 128, classes: 10, seed: 3, rank: 16, separation: 0.5, noise: 1, nonNegative: true });
  for (const l2 of [1e-4, 1]) {
    const r = await fitSoftmaxProbe(features, labels, { l2, linalg: referenceLinalg, classes: 10 });
    assert.ok(r.evaluations <= r.iterations + 1 && r.lineEvaluations <= 1.3 * r.iterations + 21, `λ ${l2}: ${r.evaluations} evaluations, ${r.lineEvaluations} line trials over ${r.iterations} iterations (${r.stop})`);
  }
});

test('a warm start at the optimum stops immediately', async () => {
  const first = await fitSoftmaxProbe(ref.train, ref.trainLabels, { l2: 3e-2, gtol: 1e-6 });
  const again = await fitSoftmaxProbe(ref.train, ref.trainLabels, { l2: 3e-2, gtol: 1e-5, init: first.model });
  assert.ok(again.iterations <= 1, `${again.iterations} iterations`);
  assert.ok(Math.abs(again.loss - first.loss) < 1e-7);
});

test('labels outside the class range are rejected with the row', async () => {
  await assert.rejects(fitSoftmaxProbe(ref.train, ref.trainLabels, { classes: 2 }), /label 2 at row \d+ outside 0..1/);
});

test('a row mask fits exactly the unmasked rows: same objective and gradient as those rows gathered', async () => {
  const { n, d } = ref.train;
  const mask = Uint8Array.from({ length: n }, (_, i) => (i % 7 === 3 ? 0 : 1));
  const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => mask[i] === 1);
  const kept = { data: new Float32Array(rows.length * d), n: rows.length, d };
  rows.forEach((r, t) => kept.data.set(ref.train.data.subarray(r * d, r * d + d), t * d));
  const keptLabels = Int32Array.from(rows, (r) => ref.trainLabels[r]);
  const moments = await centredMoments(kept, keptLabels);
  const masked = new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, standardize: true, classes: ref.classes, rowMask: mask }, referenceLinalg);
  const gathered = new SoftmaxObjective(kept, keptLabels, moments, { l2: 0.01, standardize: true, classes: ref.classes }, referenceLinalg);
  const theta = new Float64Array(masked.size).map((_, i) => 0.2 * Math.sin(1 + 0.7 * i));
  const { f1, f2, g1, g2 } = await evaluateBoth(masked, gathered, theta);
  assert.ok(Math.abs(f1 - f2) <= 1e-12 * Math.abs(f2), `objective ${f1} vs ${f2}`);
  assert.ok(maxAbsDiff(g1, g2) <= 1e-9 * Math.max(...g2.map(Math.abs)), 'gradient');
  const fitMasked = await fitSoftmaxProbe(ref.train, ref.trainLabels, { l2: 0.01, moments, rowMask: mask, classes: ref.classes });
  const fitKept = await fitSoftmaxProbe(kept, keptLabels, { l2: 0.01, moments, classes: ref.classes });
  // Both stop at the solver tolerance (gtol 1e-7), not bit-identical iterates.
  assert.ok(Math.abs(fitMasked.loss - fitKept.loss) <= 1e-7 * fitKept.loss, `fitted loss ${fitMasked.loss} vs ${fitKept.loss}`);
  await assert.rejects(async () => new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, classes: ref.classes, rowMask: mask.subarray(1) }, referenceLinalg), /row mask has \d+ entries/);
  const allMoments = await centredMoments(ref.train, ref.trainLabels);
  await assert.rejects(async () => new SoftmaxObjective(ref.train, ref.trainLabels, allMoments, { l2: 0.01, classes: ref.classes, rowMask: mask }, referenceLinalg), /unmasked/);
  await assert.rejects(fitSoftmaxProbe(ref.train, ref.trainLabels, { l2: 0.01, rowMask: mask }), /needs the moments/);
});

test('columns read in place: same objective, gradient and fit as the columns gathered (with a row mask and a repeated column too)', async () => {
  const { n, d } = ref.train;
  const cols = Int32Array.from({ length: Math.floor(0.8 * d) }, (_, t) => (t * 7 + 3) % d);
  cols[cols.length - 1] = cols[0]; // a repeated column adds its weights in the scattered product
  const k = cols.length;
  const gatheredBlock = { data: new Float32Array(n * k), n, d: k };
  for (let i = 0; i < n; i++) for (let t = 0; t < k; t++) gatheredBlock.data[i * k + t] = ref.train.data[i * d + cols[t]];
  const mask = Uint8Array.from({ length: n }, (_, i) => (i % 5 === 1 ? 0 : 1));
  for (const rowMask of [undefined, mask]) {
    const rows = Int32Array.from({ length: n }, (_, i) => i).filter((i) => !rowMask || rowMask[i] === 1);
    const kept = { data: new Float32Array(rows.length * k), n: rows.length, d: k };
    rows.forEach((r, t) => kept.data.set(gatheredBlock.data.subarray(r * k, r * k + k), t * k));
    const moments = await centredMoments(kept, Int32Array.from(rows, (r) => ref.trainLabels[r]));
    // Unregularised duplicates make the Gram singular; λ > 0 keeps the whitening factor defined.
    const opts = { l2: 0.01, standardize: true, classes: ref.classes, rowMask };
    const inPlace = new SoftmaxObjective(ref.train, ref.trainLabels, moments, { ...opts, columns: cols }, referenceLinalg);
    const gathered = new SoftmaxObjective(gatheredBlock, ref.trainLabels, moments, opts, referenceLinalg);
    const theta = new Float64Array(inPlace.size).map((_, i) => 0.2 * Math.cos(2 + 0.3 * i));
    const { f1, f2, g1, g2 } = await evaluateBoth(inPlace, gathered, theta);
    assert.ok(Math.abs(f1 - f2) <= 1e-6 * Math.abs(f2), `objective ${f1} vs ${f2} (mask ${rowMask ? 'on' : 'off'})`);
    assert.ok(maxAbsDiff(g1, g2) <= 1e-6 * Math.max(...g2.map(Math.abs)), `gradient (mask ${rowMask ? 'on' : 'off'})`);
    const a = await fitSoftmaxProbe(ref.train, ref.trainLabels, { ...opts, moments, columns: cols });
    const b = await fitSoftmaxProbe(gatheredBlock, ref.trainLabels, { ...opts, moments });
    assert.equal(a.model.k, k);
    assert.ok(Math.abs(a.loss - b.loss) <= 1e-6 * b.loss, `fitted loss ${a.loss} vs ${b.loss}`);
  }
  const moments = await centredMoments(gatheredBlock, ref.trainLabels);
  await assert.rejects(async () => new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, classes: ref.classes, columns: Int32Array.from(cols, (c, t) => (t === 2 ? d : c)) }, referenceLinalg), new RegExp(`column ${d} outside 0..${d - 1}`));
  await assert.rejects(async () => new SoftmaxObjective(ref.train, ref.trainLabels, moments, { l2: 0.01, classes: ref.classes, columns: cols.subarray(1) }, referenceLinalg), /moments describe \d+ columns, features have \d+ selected/);
  await assert.rejects(fitSoftmaxProbe(ref.train, ref.trainLabels, { l2: 0.01, columns: cols }), /columns need the moments/);
});
