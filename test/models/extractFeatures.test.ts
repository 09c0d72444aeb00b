import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { readFeatureCache } from '../../src/cache/index.js';
import { extractFeaturesDetailed } from '../../src/models/extractFeatures.js';
import { loadFeatureExtractor } from '../../src/models/load.js';
import { readShardedCache } from '../../src/models/shards.js';
import { silentProgress } from '../../src/util/progress.js';
import { denseRelu, maxAbsDiff, nhwcToNchw, tinyDataset, tinyDense, writeTinyGraphModel, writeTinyLayersModel, writeTinyOnnxModel } from './helpers/tinyModels.js';

const unitPre = (c: number) => JSON.stringify({ height: 3, width: 3, channels: c, resize: null, mean: new Array(c).fill(0), std: new Array(c).fill(1) });

test('layers, graph and ONNX models write caches equal to a direct forward pass; re-running hits the cache; shards read as one', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-extract-'));
  try {
    const ds1 = tinyDataset(10, 3, 3, 1);
    const ds3 = tinyDataset(10, 3, 3, 3);
    const layers = tinyDense(3, 3, 1, 5, 2, 51);
    const graph = tinyDense(3, 3, 1, 4, 2, 52);
    const onnx = tinyDense(3, 3, 3, 6, 2, 53);
    (await writeTinyLayersModel(join(root, 'layers'), layers)).dispose();
    await writeTinyGraphModel(join(root, 'graph'), graph);
    await writeTinyOnnxModel(join(root, 'tiny.onnx'), onnx);
    const cases = [
      { model: join(root, 'layers'), ds: ds1, layer: undefined, pre: unitPre(1), want: denseRelu(ds1.images, 10, 9, layers.W, layers.b, 5), d: 5 },
      { model: join(root, 'graph'), ds: ds1, layer: 'features', pre: unitPre(1), want: denseRelu(ds1.images, 10, 9, graph.W, graph.b, 4), d: 4 },
      { model: join(root, 'tiny.onnx'), ds: ds3, layer: 'features', pre: unitPre(3), want: denseRelu(nhwcToNchw(ds3.images, 10, 3, 3, 3), 10, 27, onnx.W, onnx.b, 6), d: 6 },
    ];
    for (const c of cases) {
      const cacheDir = join(root, 'cache');
      const common = { model: c.model, dataset: c.ds, split: 'test', layer: c.layer, preprocessing: c.pre, backend: 'cpu' as const, onnxProvider: 'cpu' as const, cacheDir, progress: silentProgress };
      const r = await extractFeaturesDetailed({ ...common, batch: 3 });
      assert.equal(r.hit, false);
      const cache = await readFeatureCache(r.path);
      assert.equal(cache.features.d, c.d, c.model);
      assert.equal(cache.features.n, 10);
      assert.ok(maxAbsDiff(cache.features.data, c.want) < 1e-5, `${c.model}: max diff ${maxAbsDiff(cache.features.data, c.want)}`);
      assert.deepEqual(Array.from(cache.labels), Array.from(c.ds.labels));
      assert.deepEqual(Array.from(cache.index), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      assert.equal(cache.meta.layer, r.layer);
      assert.equal(cache.meta.datasetId, c.ds.id);
      const mtime = (await stat(r.path)).mtimeMs;
      const again = await extractFeaturesDetailed({ ...common, batch: 3 });
      assert.equal(again.hit, true);
      assert.equal(again.path, r.path);
      assert.equal((await stat(r.path)).mtimeMs, mtime);

      for (const i of [2, 0, 1]) {
        const s = await extractFeaturesDetailed({ ...common, batch: 2, shard: `${i}/3` });
        assert.equal(s.hit, false);
        assert.equal(s.shardDir, r.path.replace(/\.arrow$/, ''));
      }
      const merged = await readShardedCache(r.path.replace(/\.arrow$/, ''));
      assert.equal(merged.features.n, 10);
      assert.ok(maxAbsDiff(merged.features.data, cache.features.data) <= 1e-6, `${c.model}: sharded differs`);
      assert.deepEqual(Array.from(merged.index), Array.from(cache.index));
      assert.deepEqual(Array.from(merged.labels), Array.from(cache.labels));
      assert.equal(merged.meta.extra.shards, 3);

      const limited = await extractFeaturesDetailed({ ...common, limit: 4 });
      assert.equal((await readFeatureCache(limited.path)).meta.split, 'test[:4]');
      assert.notEqual(limited.path, r.path);
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('tf.memory() stays flat across 400 batches of extractFeatures (cpu backend), and an incomplete shard directory is refused', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-extract-mem-'));
  try {
    (await writeTinyLayersModel(join(root, 'layers'), tinyDense(3, 3, 1, 5, 2, 61))).dispose();
    const model = await loadFeatureExtractor(join(root, 'layers'), { backend: 'cpu', preprocessing: unitPre(1) });
    const ds = tinyDataset(400, 3, 3, 1);
    await extractFeaturesDetailed({ model, dataset: ds, split: 'train', batch: 1, limit: 1, cacheDir: root, progress: silentProgress });
    const before = tf.memory();
    const r = await extractFeaturesDetailed({ model, dataset: ds, split: 'train', batch: 1, cacheDir: root, progress: silentProgress });
    const after = tf.memory();
    assert.equal(r.n, 400);
    assert.equal(after.numTensors, before.numTensors);
    assert.equal(after.numBytes, before.numBytes);
    const s = await extractFeaturesDetailed({ model, dataset: ds, split: 'train', shard: '1/2', cacheDir: root, progress: silentProgress });
    await assert.rejects(readShardedCache(s.shardDir!), /incomplete sharded cache: expected shards 0\.\.1 of 2, missing 0/);
    await model.dispose();
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
