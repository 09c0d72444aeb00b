import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { computePcaBasis, pcaProjectionMatrix } from '../../src/select/pca.js';

const fx = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'pca_fixtures.json'), 'utf8')) as {
  n: number; d: number; train: number[]; values: number[]; vectors: number[];
};
const train = { data: Float32Array.from(fx.train), n: fx.n, d: fx.d };

test('covariance eigenvalues equal numpy eigh (descending; centred values are rounded to float32)', async () => {
  const basis = await computePcaBasis(train);
  for (let j = 0; j < fx.d; j++) assert.ok(Math.abs(basis.values[j] - fx.values[j]) < 1e-6 * fx.values[j], `value ${j}: ${basis.values[j]} vs ${fx.values[j]}`);
});

test('eigenvectors equal numpy eigh up to sign, with the largest entry made positive', async () => {
  const { d } = fx;
  const basis = await computePcaBasis(train);
  for (let j = 0; j < d; j++) {
    let dp = 0;
    let maxAbs = 0;
    let maxVal = 0;
    for (let i = 0; i < d; i++) {
      const v = basis.vectors[i * d + j];
      dp += v * fx.vectors[i * d + j];
      if (Math.abs(v) > maxAbs) { maxAbs = Math.abs(v); maxVal = v; }
    }
    assert.ok(Math.abs(Math.abs(dp) - 1) < 1e-9, `vector ${j}: |dot| = ${Math.abs(dp)}`);
    assert.ok(maxVal > 0);
  }
});

test('the basis is memoised per training array', async () => {
  assert.equal(computePcaBasis(train), computePcaBasis(train));
});

test('projection matrices hold the top / bottom columns', async () => {
  const basis = await computePcaBasis(train);
  const { d } = fx;
  const top = pcaProjectionMatrix(basis, 3, 'top');
  const bottom = pcaProjectionMatrix(basis, 2, 'bottom');
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < 3; j++) assert.equal(top[i * 3 + j], Math.fround(basis.vectors[i * d + j]));
    for (let j = 0; j < 2; j++) assert.equal(bottom[i * 2 + j], Math.fround(basis.vectors[i * d + d - 2 + j]));
  }
  assert.throws(() => pcaProjectionMatrix(basis, d + 1, 'top'), /k must be an integer in \[1, 8\]/);
});

test('PCA refuses fewer than two rows', () => {
  assert.throws(() => computePcaBasis({ data: new Float32Array(3), n: 1, d: 3 }), /at least 2 rows/);
});
