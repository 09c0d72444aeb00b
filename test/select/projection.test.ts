import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomProjectionMatrix } from '../../src/select/projection.js';
import { torchRand } from '../../src/select/torchRandom.js';

function columnNorms(m: Float32Array, d: number, k: number): number[] {
  return Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += m[i * k + j] ** 2;
    return Math.sqrt(s);
  });
}

test('uniform random projection: non-negative entries, unit column norms', () => {
  const d = 64;
  const m = randomProjectionMatrix(d, 10, 3);
  assert.ok(m.every((v) => v >= 0));
  for (const norm of columnNorms(m, d, 10)) assert.ok(Math.abs(norm - 1) < 1e-6);
  // Uniform[0,1) entries scaled by 1/‖column‖ ≈ 1/sqrt(d/3): mean entry ≈ 0.5·sqrt(3/d).
  const mean = m.reduce((a, b) => a + b, 0) / m.length;
  assert.ok(Math.abs(mean - 0.5 * Math.sqrt(3 / d)) < 0.02);
});

test('the first k columns do not depend on k (one d×d matrix per seed)', () => {
  const d = 32;
  const small = randomProjectionMatrix(d, 4, 9);
  const large = randomProjectionMatrix(d, 20, 9);
  for (let i = 0; i < d; i++) for (let j = 0; j < 4; j++) assert.equal(small[i * 4 + j], large[i * 20 + j]);
  assert.notDeepEqual(randomProjectionMatrix(d, 4, 10), small);
  // Gaussian draws come in Box–Muller pairs: an odd d and odd k check the dropped draws keep the pairing.
  const g5 = randomProjectionMatrix(33, 5, 4, 'gaussian');
  const g33 = randomProjectionMatrix(33, 33, 4, 'gaussian');
  const g1 = randomProjectionMatrix(33, 1, 4, 'gaussian');
  for (let i = 0; i < 33; i++) {
    assert.equal(g1[i], g5[i * 5]);
    // The norm of column j differs with k only through the kept rows, which are all d rows here.
    for (let j = 0; j < 5; j++) assert.equal(g5[i * 5 + j], g33[i * 33 + j]);
  }
});

test('gaussian random projection: both signs, unit column norms', () => {
  const d = 50;
  const m = randomProjectionMatrix(d, 7, 1, 'gaussian');
  assert.ok(m.some((v) => v < 0) && m.some((v) => v > 0));
  for (const norm of columnNorms(m, d, 7)) assert.ok(Math.abs(norm - 1) < 1e-6);
});

test('rng torch uses torch.rand(d, d), normalised per column', () => {
  const d = 16;
  const raw = torchRand(d * d, 7);
  const m = randomProjectionMatrix(d, 5, 7, 'uniform', 'torch');
  for (let j = 0; j < 5; j++) {
    let s = 0;
    for (let i = 0; i < d; i++) s += raw[i * d + j] ** 2;
    for (let i = 0; i < d; i++) assert.equal(m[i * 5 + j], Math.fround(raw[i * d + j] / Math.sqrt(s)));
  }
  assert.throws(() => randomProjectionMatrix(d, 5, 7, 'gaussian', 'torch'), /torch.rand only/);
});

test('bad sizes are refused', () => {
  assert.throws(() => randomProjectionMatrix(8, 9, 0), /k must be an integer in \[1, 8\]/);
  assert.throws(() => randomProjectionMatrix(0, 1, 0), /d must be a positive integer/);
});
