import { test } from 'node:test';
import assert from 'node:assert/strict';
import { centredGram, gramInBlocks } from '../../src/linalg/centred.js';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { createOnnxLinalg } from '../../src/linalg/onnx.js';
import type { FeatureBlock } from '../../src/types.js';
import { loadNumpyFixtures, maxRelDiff, seededUniform } from './fixtures.js';

test('centredGram matches numpy (X − mean)ᵀ(X − mean) and the means', async () => {
  for (const f of loadNumpyFixtures().grams) {
    const x = { data: Float32Array.from(f.x), n: f.n, d: f.p };
    const { gram, mean } = await centredGram(referenceLinalg, x, { blockRows: 4 });
    // Shifted values are rounded to float32 before the product: ~1e-7 relative, by design.
    assert.ok(maxRelDiff(gram, f.centredGram) < 1e-6, `n=${f.n}: ${maxRelDiff(gram, f.centredGram)}`);
    assert.ok(maxRelDiff(mean, f.mean) < 1e-14);
  }
});

test('hand-computed: rows (0,1), (2,3) → centred Gram [[2,2],[2,2]], mean (1,2)', async () => {
  const { gram, mean } = await centredGram(referenceLinalg, { data: Float32Array.from([0, 1, 2, 3]), n: 2, d: 2 });
  assert.deepEqual(Array.from(gram), [2, 2, 2, 2]);
  assert.deepEqual(Array.from(mean), [1, 2]);
});

async function* asyncBlocks(x: FeatureBlock, sizes: number[]): AsyncGenerator<FeatureBlock> {
  let r0 = 0;
  for (const s of sizes) {
    yield { data: x.data.subarray(r0 * x.d, (r0 + s) * x.d), n: s, d: x.d };
    r0 += s;
  }
}

test('gramInBlocks over uneven async row blocks equals the one-shot centred and raw Grams', async () => {
  const rnd = seededUniform(8);
  const n = 53;
  const d = 6;
  const x = { data: Float32Array.from({ length: n * d }, () => Math.max(0, rnd() - 0.2) + 2), n, d };
  const whole = await centredGram(referenceLinalg, x);
  const streamed = await gramInBlocks(referenceLinalg, asyncBlocks(x, [1, 20, 0, 32]));
  assert.equal(streamed.n, n);
  assert.ok(maxRelDiff(streamed.gram, whole.gram) < 1e-6); // different shifts, different float32 roundings
  assert.ok(maxRelDiff(streamed.mean, whole.mean) < 1e-14);
  const raw = await gramInBlocks(referenceLinalg, asyncBlocks(x, [10, 43]), { centre: false });
  assert.ok(maxRelDiff(raw.gram, await referenceLinalg.gram(x.data, n, d)) < 1e-14);
});

test('large offset (mean 1000, spread 1): shifted float32 Grams keep the centred Gram accurate', async () => {
  const rnd = seededUniform(4);
  const n = 2000;
  const d = 8;
  const x = { data: Float32Array.from({ length: n * d }, () => 1000 + rnd()), n, d };
  // float64 truth from float64-centred values
  const mean = new Float64Array(d);
  for (let i = 0; i < n * d; i++) mean[i % d] += x.data[i] / n;
  const truth = new Float64Array(d * d);
  for (let r = 0; r < n; r++) for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) truth[i * d + j] += (x.data[r * d + i] - mean[i]) * (x.data[r * d + j] - mean[j]);
  const onnx = await createOnnxLinalg({ smallFlops: 0 });
  const streamed = await gramInBlocks(onnx, asyncBlocks(x, [500, 1500])); // shift = first block's mean
  assert.ok(maxRelDiff(streamed.gram, truth) < 1e-5, `streamed ${maxRelDiff(streamed.gram, truth)}`);
  const exactShift = await centredGram(onnx, x);
  assert.ok(maxRelDiff(exactShift.gram, truth) < 1e-5);
  // The naive float32 route (raw Gram − n·μμᵀ) loses everything here: the reason for the shift.
  const raw = await onnx.gram(x.data, n, d);
  const naive = raw.map((v, k) => v - n * mean[Math.floor(k / d)] * mean[k % d]);
  assert.ok(maxRelDiff(naive, truth) > 1e-2);
  await onnx.dispose?.();
});

test('gramInBlocks errors name the block', async () => {
  const blocks = [{ data: new Float32Array(4), n: 2, d: 2 }, { data: new Float32Array(3), n: 1, d: 3 }];
  await assert.rejects(gramInBlocks(referenceLinalg, blocks), /block 1 has d = 3, expected 2/);
  await assert.rejects(gramInBlocks(referenceLinalg, []), /no blocks/);
  await assert.rejects(gramInBlocks(referenceLinalg, [{ data: new Float32Array(3), n: 2, d: 2 }]), /gramInBlocks: block 0: data has 3 values/);
});

test('onnx gramShifted: (X − 1·sᵀ)ᵀ(X − 1·sᵀ) on the tail panels (p = 520) and the small path equals the float64 product', async () => {
  const onnx = await createOnnxLinalg();
  assert.ok(onnx.gramShifted, 'the float32 onnx backend shifts inside its Gram');
  for (const [n, p] of [[300, 520], [7, 5]] as const) {
    const rnd = seededUniform(n + p);
    const data = Float32Array.from({ length: n * p }, () => 40 + rnd());
    const shift = Float32Array.from({ length: p }, () => 40 + 0.5 * rnd());
    const truth = new Float64Array(p * p);
    for (let r = 0; r < n; r++) {
      for (let i = 0; i < p; i++) {
        const u = Math.fround(data[r * p + i] - shift[i]);
        for (let j = 0; j < p; j++) truth[i * p + j] += u * Math.fround(data[r * p + j] - shift[j]);
      }
    }
    const gram: Float64Array = await onnx.gramShifted!(data, n, p, shift);
    assert.ok(maxRelDiff(gram, truth) < 1e-5, `${n}×${p}: ${maxRelDiff(gram, truth)}`);
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) assert.equal(gram[i * p + j], gram[j * p + i]);
  }
  await assert.rejects(onnx.gramShifted!(new Float32Array(6), 2, 3, new Float32Array(2)), /gramShifted: shift has 2 values, expected p = 3/);
  await onnx.dispose?.();
  const exact = await createOnnxLinalg({ precision: 'float64' });
  assert.equal(exact.gramShifted, undefined, 'float64 products have no cancellation to avoid');
  await exact.dispose?.();
});

test('centredGram shifts inside the backend (large offset, p = 600) as accurately as in TypeScript blocks', async () => {
  const rnd = seededUniform(12);
  const n = 400;
  const d = 600;
  const x = { data: Float32Array.from({ length: n * d }, (_, k) => 500 + (k % 7) + rnd()), n, d };
  const truth = (await centredGram(referenceLinalg, x)).gram; // float64 products of float32-shifted blocks
  const onnx = await createOnnxLinalg();
  const inside = await centredGram(onnx, x);
  const blocks = await centredGram(onnx, x, { blockRows: 150 });
  assert.ok(maxRelDiff(inside.gram, truth) < 1e-5, `inside ${maxRelDiff(inside.gram, truth)}`);
  assert.ok(maxRelDiff(blocks.gram, truth) < 1e-5, `blocks ${maxRelDiff(blocks.gram, truth)}`);
  await onnx.dispose?.();
});
