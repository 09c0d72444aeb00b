import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportFeatureCache, importFeatureCache, readMetaJson } from '../../src/cache/exchange.js';
import { writeNpy } from '../../src/cache/npy.js';
import { readFeatureCache } from '../../src/cache/reader.js';
import { writeSyntheticCache } from '../../src/cache/synth.js';
import { tempDir } from './tmpdir.js';
import { assertSameCache } from '../helpers/sameCache.js';

const dir = tempDir();
const cache = join(dir, 'src.arrow');
await writeSyntheticCache(cache, { n: 130, d: 7, classes: 3, seed: 4 }, { batchRows: 50 });

test('export writes .npy files whose data bytes are exactly the cache feature bytes', async () => {
  const { paths, meta } = await exportFeatureCache(cache, join(dir, 'out', 'x'));
  const data = await readFeatureCache(cache);
  const f = readFileSync(paths.features);
  assert.equal(f.length - 128, 130 * 7 * 4); // 128-byte header for this shape
  assert.deepEqual(f.subarray(f.length - 130 * 7 * 4), Buffer.from(data.features.data.buffer));
  const l = readFileSync(paths.labels);
  assert.deepEqual(l.subarray(l.length - 130 * 4), Buffer.from(data.labels.buffer));
  assert.deepEqual(JSON.parse(readFileSync(paths.meta, 'utf8')), meta);
});

test('import of the exported files gives back an identical cache (except createdAt)', async () => {
  const prefix = join(dir, 'rt');
  const { paths } = await exportFeatureCache(cache, prefix);
  const back = join(dir, 'back.arrow');
  await importFeatureCache(back, { features: paths.features, labels: paths.labels, index: paths.index, metaFile: paths.meta });
  await assertSameCache(back, cache);
});

test('import with extra metadata; label and meta-file mismatches are clear errors', async () => {
  const feats = join(dir, 'f.npy');
  const labels = join(dir, 'l.npy');
  await writeNpy(feats, new Float32Array(6).fill(1.5), [3, 2]);
  await writeNpy(labels, Int32Array.of(0, 1));
  await assert.rejects(importFeatureCache(join(dir, 'bad.arrow'), { features: feats, labels }), /label count mismatch: .*l\.npy has 2 labels but .*f\.npy has 3 rows/);
  await writeNpy(labels, Int32Array.of(0, 1, 1));
  const metaFile = join(dir, 'm.json');
  writeFileSync(metaFile, JSON.stringify({ n: 4, modelId: 'z' }));
  await assert.rejects(importFeatureCache(join(dir, 'bad.arrow'), { features: feats, labels, metaFile }), /m\.json says n=4 but .*f\.npy has 3 rows/);
  writeFileSync(metaFile, '{oops');
  await assert.rejects(readMetaJson(metaFile), /m\.json: not valid JSON/);
  const out = join(dir, 'ok.arrow');
  await importFeatureCache(out, { features: feats, labels }, { modelId: 'torch-resnet50', extra: { source: 'pytorch' } });
  const r = await readFeatureCache(out);
  assert.equal(r.meta.modelId, 'torch-resnet50');
  assert.deepEqual(r.meta.extra, { source: 'pytorch' });
  assert.deepEqual(Array.from(r.index), [0, 1, 2]);
  assert.deepEqual(Array.from(r.features.data), [1.5, 1.5, 1.5, 1.5, 1.5, 1.5]);
});
