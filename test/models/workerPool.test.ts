import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/index.js';
import { extractFeaturesDetailed } from '../../src/models/extractFeatures.js';
import { ExtractionPool } from '../../src/models/workerPool.js';
import { UsageError } from '../../src/util/errors.js';
import { silentProgress } from '../../src/util/progress.js';
import { tinyDataset } from './helpers/tinyModels.js';

test('two worker threads write the same features, bit for bit, as one thread (mobilenetv2-1.0 at 32 px, wasm)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-workers-'));
  try {
    const ds = tinyDataset(7, 8, 8, 1, 11);
    const common = { model: 'mobilenetv2-1.0', inputSize: 32, dataset: ds, split: 'test', batch: 2, backend: 'wasm' as const, progress: silentProgress };
    const one = await extractFeaturesDetailed({ ...common, cacheDir: join(root, 'one') });
    const two = await extractFeaturesDetailed({ ...common, workers: 2, cacheDir: join(root, 'two') });
    // Same key: the worker count is not part of what the features are.
    assert.equal(one.path.replace(join(root, 'one'), ''), two.path.replace(join(root, 'two'), ''));
    const a = await readFeatureCache(one.path);
    const b = await readFeatureCache(two.path);
    assert.equal(a.features.n, 7);
    assert.equal(a.features.d, 1280);
    // Each batch (the same boundaries, 4 batches over 2 workers) runs the same kernels on the same
    // backend, so equality is exact; rows also come back in order.
    assert.deepEqual(b.features.data, a.features.data);
    assert.deepEqual(b.index, a.index);
    assert.deepEqual(b.labels, a.labels);
    assert.equal((b.meta.extra as any).workers, 2);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a worker pool reports a model that fails to load as a UsageError, and rejects a bad worker count', async () => {
  await assert.rejects(ExtractionPool.start('no-such-model-anywhere', 1), (e: any) => e instanceof UsageError && /no-such-model-anywhere/.test(e.message));
  await assert.rejects(ExtractionPool.start('mobilenetv2-1.0', 0), /workers: expected a positive integer/);
});
