import { test } from 'node:test';
import assert from 'node:assert/strict';
import { coefficientOfVariation, gini, maxMinGap } from '../../src/summary/inequality.js';

const close = (a: number, b: number, tol: number) => assert.ok(Math.abs(a - b) <= tol, `${a} != ${b} (tol ${tol})`);

/** Independent textbook definition: mean absolute difference over all ordered pairs / (2·mean). */
function giniPairs(x: number[]): number {
  const n = x.length;
  const mean = x.reduce((s, v) => s + v, 0) / n;
  let s = 0;
  for (const a of x) for (const b of x) s += Math.abs(a - b);
  return s / (2 * n * n * mean);
}

test('Gini of an equal vector is 0', () => {
  close(gini([0.7, 0.7, 0.7, 0.7]), 0, 1e-15);
  close(gini([0, 0, 0]), 0, 1e-15);
});

test('Gini of a one-hot vector of n is (n−1)/n (up to the paper\'s 1e-7 offset)', () => {
  for (const n of [2, 5, 10, 100]) {
    const v = new Array(n).fill(0);
    v[3 % n] = 1;
    // exact value with the offset: (n−1) / (n·(1 + n·1e-7))
    close(gini(v), (n - 1) / (n * (1 + n * 1e-7)), 1e-15);
    close(gini(v), (n - 1) / n, 1e-4);
  }
});

test('Gini of 1..5 is 4/15, and equals the pairwise-difference definition on random vectors', () => {
  close(gini([5, 3, 1, 4, 2]), 4 / 15, 1e-7);
  let s = 12345;
  const rand = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let t = 0; t < 20; t++) {
    const x = Array.from({ length: 3 + t }, () => rand());
    close(gini(x), giniPairs(x.map((v) => v + 1e-7)), 1e-12);
  }
});

test('Gini shifts negative vectors so the minimum is 0, and ignores NaN (absent classes)', () => {
  close(gini([-1, 0, 1]), gini([0, 1, 2]), 1e-15);
  close(gini([0.2, NaN, 0.8]), gini([0.2, 0.8]), 1e-15);
  assert.ok(Number.isNaN(gini([])));
  // invariance to scale (away from the offset)
  close(gini([0.1, 0.5, 0.9]), gini([1, 5, 9]), 1e-6);
});

test('max−min and coefficient of variation', () => {
  close(maxMinGap([0.2, 0.9, 0.5]), 0.7, 1e-15);
  // population std of [2,4,4,4,5,5,7,9] is 2, mean 5
  close(coefficientOfVariation([2, 4, 4, 4, 5, 5, 7, 9]), 0.4, 1e-15);
  close(coefficientOfVariation([3, 3, 3]), 0, 0);
  assert.ok(Number.isNaN(coefficientOfVariation([0, 0])));
  assert.ok(Number.isNaN(maxMinGap([NaN])));
});
