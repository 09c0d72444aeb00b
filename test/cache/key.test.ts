import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { cacheKey, cachePath, canonicalJson } from '../../src/cache/key.js';
import { dataDir } from '../../src/util/paths.js';

const base = { model: 'ResNet-18', weightsHash: 'abc', layer: 'penultimate', dataset: 'fashion-mnist', split: 'train[:1000]', preprocessing: { size: 32, mean: [0.5] } };

test('cacheKey gives a readable slug and the first 10 hex of sha256 of the canonical key', () => {
  const k = cacheKey(base);
  assert.equal(k.slug, 'resnet-18-penultimate-fashion-mnist-train-1000');
  // Independent reference: the canonical JSON written out by hand (keys sorted), hashed with node:crypto.
  const canonical = '{"dataset":"fashion-mnist","layer":"penultimate","model":"ResNet-18","preprocessing":{"mean":[0.5],"size":32},"split":"train[:1000]","weightsHash":"abc"}';
  assert.equal(k.hash, createHash('sha256').update(canonical).digest('hex').slice(0, 10));
  assert.match(k.hash, /^[0-9a-f]{10}$/);
  assert.equal(k.fileName, `${k.slug}-${k.hash}.arrow`);
});

test('the hash ignores key order but changes with weights, preprocessing or split', () => {
  const k = cacheKey(base);
  assert.equal(cacheKey({ ...base, preprocessing: { mean: [0.5], size: 32 } }).hash, k.hash);
  assert.notEqual(cacheKey({ ...base, weightsHash: 'abd' }).hash, k.hash);
  assert.notEqual(cacheKey({ ...base, preprocessing: { size: 64, mean: [0.5] } }).hash, k.hash);
  assert.notEqual(cacheKey({ ...base, split: 'test' }).hash, k.hash);
  assert.equal(canonicalJson({ b: 1, a: [{ d: 2, c: undefined }] }), '{"a":[{"d":2}],"b":1}');
});

test('cachePath puts the file under data/cache by default; bad keys are rejected', () => {
  const k = cacheKey(base);
  assert.equal(cachePath(k), join(dataDir(), 'cache', k.fileName));
  assert.equal(cachePath(k, '/x'), join('/x', k.fileName));
  assert.throws(() => cacheKey({ ...base, layer: '' }), /'layer' must be a non-empty string/);
});
