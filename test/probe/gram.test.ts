import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centredMoments, inverseStdFromGram, projectedMoments, subsetMoments } from '../../src/probe/gram.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import { maxAbsDiff } from './fixture.js';

test('centred Gram, cross moments and class frequencies on a hand-made block', async () => {
  // x rows (1,2), (3,2), (5,8); labels 0, 1, 1. Means (3, 4); centred rows (−2,−2), (0,−2), (2,4).
  const m = await centredMoments({ data: Float32Array.from([1, 2, 3, 2, 5, 8]), n: 3, d: 2 }, Int32Array.from([0, 1, 1]));
  assert.deepEqual(Array.from(m.mean), [3, 4]);
  assert.deepEqual(Array.from(m.gram), [8, 12, 12, 24]);
  // ȳ = (1/3, 2/3); Σ x_c (y − ȳ)ᵀ = Σ x_c yᵀ (since Σ x_c = 0) = [[−2, 2], [−2, 2]].
  assert.ok(maxAbsDiff(m.xty, [-2, 2, -2, 2]) < 1e-12);
  assert.ok(maxAbsDiff(m.classMean, [1 / 3, 2 / 3]) < 1e-15);
  const s = subsetMoments(m, Int32Array.from([1]));
  assert.deepEqual(Array.from(s.gram), [24]);
  assert.ok(maxAbsDiff(inverseStdFromGram(m), [1 / Math.sqrt(8 / 3), 1 / Math.sqrt(8)]) < 1e-12);
});

test('centred moments keep the centred Gram when the means dwarf the spread (mean 1000, spread 1), onnx linalg', async () => {
  let state = 99;
  const rnd = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const n = 3000;
  const d = 6;
  const data = Float32Array.from({ length: n * d }, () => 1000 + rnd());
  const labels = Int32Array.from({ length: n }, (_, i) => i % 3);
  const mean = new Float64Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d] += data[i] / n;
  const truth = new Float64Array(d * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) truth[i * d + j] += (data[r * d + i] - mean[i]) * (data[r * d + j] - mean[j]);
  const onnx = await createOnnxLinalg({ smallFlops: 0 });
  const m = await centredMoments({ data, n, d }, labels, { linalg: onnx });
  // XᵀX − n·μμᵀ from float32 products would be off by ~1e-7·n·10⁶ ≈ 300 on entries of ~250.
  const scale = Math.max(...truth.map(Math.abs));
  assert.ok(maxAbsDiff(m.gram, truth) < 1e-5 * scale, `${maxAbsDiff(m.gram, truth)} vs scale ${scale}`);
  await onnx.dispose?.();
});

test('projected moments equal the moments of the projected rows X·P (in float64 by hand), reference and onnx linalg', async () => {
  const n = 90, d = 70, k = 40, classes = 3;
  const x = Float32Array.from({ length: n * d }, (_, i) => Math.max(0, Math.sin(i * 0.37) * 2 + Math.cos(i * 0.011)));
  const labels = Int32Array.from({ length: n }, (_, i) => (i * 7) % classes);
  const p = Float32Array.from({ length: d * k }, (_, i) => Math.abs(Math.sin(i * 1.3)) / 5);
  const xp = new Float64Array(n * k);
  for (let r = 0; r < n; r++) for (let j = 0; j < d; j++) for (let a = 0; a < k; a++) xp[r * k + a] += x[r * d + j] * p[j * k + a];
  const mean = new Float64Array(k);
  for (let r = 0; r < n; r++) for (let a = 0; a < k; a++) mean[a] += xp[r * k + a] / n;
  const ybar = new Float64Array(classes);
  for (const y of labels) ybar[y] += 1 / n;
  const gram = new Float64Array(k * k);
  const xty = new Float64Array(k * classes);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < k; a++) {
      const u = xp[r * k + a] - mean[a];
      for (let b = 0; b < k; b++) gram[a * k + b] += u * (xp[r * k + b] - mean[b]);
      for (let c = 0; c < classes; c++) xty[a * classes + c] += u * ((labels[r] === c ? 1 : 0) - ybar[c]);
    }
  }
  const onnx = await createOnnxLinalg();
  for (const linalg of [undefined, onnx]) {
    const m = await centredMoments({ data: x, n, d }, labels, { classes, linalg });
    const got = await projectedMoments(m, p, k, linalg);
    assert.equal(got.d, k);
    const scale = Math.max(...gram.map(Math.abs));
    assert.ok(maxAbsDiff(got.gram, gram) / scale < 1e-5, `gram: ${maxAbsDiff(got.gram, gram) / scale}`);
    assert.ok(maxAbsDiff(got.xty, xty) < 1e-6 * n, `xty: ${maxAbsDiff(got.xty, xty)}`);
    assert.ok(maxAbsDiff(got.mean, mean) < 1e-9, `mean: ${maxAbsDiff(got.mean, mean)}`);
  }
  await onnx.dispose?.();
});
