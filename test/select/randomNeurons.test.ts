import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { kFromFraction, randomNeuronIndices, sortedCopy } from '../../src/select/randomNeurons.js';

const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'torch_randperm.json'), 'utf8')) as {
  randperm: { seed: number; d: number; head: number[] }[];
};

test('kFromFraction is floor(f·d) like Python int(f * d), at least 1', () => {
  assert.equal(kFromFraction(0.1, 2048), 204);
  assert.equal(kFromFraction(0.2, 2048), 409);
  assert.equal(kFromFraction(0.0005, 2048), 1);
  assert.equal(kFromFraction(0.0005, 512), 1); // 0.256 → at least one neuron
  assert.equal(kFromFraction(0.29, 100), 28); // 0.29 * 100 = 28.999999999999996 in doubles
  assert.equal(kFromFraction(0.075, 384), 28);
  assert.equal(kFromFraction(1, 4096), 4096);
  assert.throws(() => kFromFraction(0, 10), /fraction must be in \(0, 1\]/);
  assert.throws(() => kFromFraction(1.5, 10), /fraction must be in \(0, 1\]/);
  assert.throws(() => kFromFraction(0.5, 0), /d must be a positive integer/);
});

test('rng torch gives torch.randperm(d)[:k] for the paper widths and seeds', () => {
  let checked = 0;
  for (const c of fixture.randperm) {
    if (![384, 512, 2048, 4096].includes(c.d) || c.seed < 0 || c.seed > 42) continue;
    for (const k of [1, 20, 204]) {
      if (k > c.d) continue;
      assert.deepEqual(Array.from(randomNeuronIndices(c.d, k, c.seed, 'torch')), c.head.slice(0, k), `seed=${c.seed} d=${c.d} k=${k}`);
      checked++;
    }
  }
  assert.ok(checked >= 28 * 3 - 3);
});

test('our subsets: distinct, in range, reproducible, nested in k, different across seeds', () => {
  const a = randomNeuronIndices(2048, 409, 1);
  assert.equal(new Set(a).size, 409);
  assert.ok(a.every((v) => v >= 0 && v < 2048));
  assert.deepEqual(randomNeuronIndices(2048, 409, 1), a);
  assert.deepEqual(randomNeuronIndices(2048, 40, 1), a.subarray(0, 40));
  assert.notDeepEqual(randomNeuronIndices(2048, 409, 2), a);
  const s = sortedCopy(a);
  for (let i = 1; i < s.length; i++) assert.ok(s[i] > s[i - 1]);
});

test('every neuron is equally likely to be picked (our generator, chi-square)', () => {
  const d = 20;
  const counts = new Array(d).fill(0);
  const trials = 4000;
  for (let seed = 0; seed < trials; seed++) for (const i of randomNeuronIndices(d, 5, seed)) counts[i]++;
  const expected = (trials * 5) / d;
  const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
  assert.ok(chi2 < 43.8, `chi2=${chi2}`); // chi-square(19) 0.999 quantile
});

test('randomNeuronIndices refuses bad arguments', () => {
  assert.throws(() => randomNeuronIndices(10, 11, 0), /k must be an integer in \[1, 10\]/);
  assert.throws(() => randomNeuronIndices(10, 0, 0), /k must be/);
  assert.throws(() => randomNeuronIndices(10, 2, 0.5), /seed must be an integer/);
  assert.throws(() => randomNeuronIndices(10, 2, 0, 'numpy' as never), /rng must be 'ours' or 'torch'/);
});
