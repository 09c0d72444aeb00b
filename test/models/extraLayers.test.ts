import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/index.js';
import { extractFeaturesDetailed } from '../../src/models/extractFeatures.js';
import { findPretrainedModel } from '../../src/models/pretrained.js';
import { loadFeatureExtractor } from '../../src/models/load.js';
import { UsageError } from '../../src/util/errors.js';
import { silentProgress } from '../../src/util/progress.js';
import { tinyDataset } from './helpers/tinyModels.js';

// One forward pass for several layers must give each layer exactly what a pass cut at that layer
// alone gives: same cache key (so E10's block outputs and the penultimate share one extraction
// without changing any file), same bytes of features.
for (const name of ['mobilenetv2-1.0', 'mobilenetv2-1.4']) {
  test(`${name}: extra layers read in one pass equal one pass per layer, on one worker and on two`, async () => {
    const entry = findPretrainedModel(name)!;
    const blocks = entry.intermediate.slice(0, 2);
    const root = await mkdtemp(join(tmpdir(), 'dr-extra-'));
    try {
      const ds = tinyDataset(5, 8, 8, 1, 3);
      const common = { model: name, inputSize: 32, dataset: ds, split: 'test', batch: 2, backend: 'wasm' as const, progress: silentProgress };
      const separate = [await extractFeaturesDetailed({ ...common, cacheDir: join(root, 'separate') })];
      for (const b of blocks) separate.push(await extractFeaturesDetailed({ ...common, layer: b.node, pool: 'mean', cacheDir: join(root, 'separate') }));
      const extraLayers = blocks.map((b) => ({ layer: b.node, pool: 'mean' as const }));
      for (const workers of [1, 2]) {
        const dir = join(root, `together-${workers}`);
        const together = await extractFeaturesDetailed({ ...common, workers, extraLayers, cacheDir: dir });
        const all = [together, ...together.extra];
        assert.equal(all.length, 3);
        for (let i = 0; i < 3; i++) {
          assert.equal(all[i].path.replace(dir, ''), separate[i].path.replace(join(root, 'separate'), ''), `head ${i}: same cache key`);
          assert.equal(all[i].layer, separate[i].layer);
          assert.equal(all[i].hit, false);
          const a = await readFeatureCache(separate[i].path);
          const b = await readFeatureCache(all[i].path);
          assert.equal(b.features.d, i === 0 ? entry.width : blocks[i - 1].width);
          assert.deepEqual(b.features.data, a.features.data, `head ${i} (${all[i].layer}), ${workers} worker(s)`);
          assert.deepEqual(b.labels, a.labels);
        }
      }
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
}

test('only the layers without a valid cache file are written; a second call is a hit for all', async () => {
  const name = 'mobilenetv2-1.0';
  const blocks = findPretrainedModel(name)!.intermediate.slice(0, 2);
  const root = await mkdtemp(join(tmpdir(), 'dr-extra-'));
  try {
    const ds = tinyDataset(3, 8, 8, 1, 5);
    const common = { model: name, inputSize: 32, dataset: ds, split: 'test', backend: 'cpu' as const, cacheDir: root, progress: silentProgress };
    const first = await extractFeaturesDetailed(common);
    const before = (await stat(first.path)).mtimeMs;
    const extraLayers = blocks.map((b) => ({ layer: b.node, pool: 'mean' as const }));
    const r = await extractFeaturesDetailed({ ...common, extraLayers });
    assert.equal(r.hit, true);
    assert.equal(r.path, first.path);
    assert.equal((await stat(first.path)).mtimeMs, before, 'the penultimate file was not rewritten');
    assert.deepEqual(r.extra.map((x) => x.hit), [false, false]);
    assert.deepEqual(r.extra.map((x) => x.layer), blocks.map((b) => `${b.node}+gap`));
    const again = await extractFeaturesDetailed({ ...common, extraLayers });
    assert.deepEqual([again.hit, ...again.extra.map((x) => x.hit)], [true, true, true]);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('an extra layer that is not in the model, or a layer asked for twice, is a UsageError naming it', async () => {
  await assert.rejects(
    loadFeatureExtractor('mobilenetv2-1.0', { inputSize: 32, backend: 'cpu', extraLayers: [{ layer: 'no_such_block', pool: 'mean' }] }),
    (e: any) => e instanceof UsageError && /no_such_block/.test(e.message),
  );
  const block = findPretrainedModel('mobilenetv2-1.0')!.intermediate[0].node;
  await assert.rejects(
    loadFeatureExtractor('mobilenetv2-1.0', { inputSize: 32, backend: 'cpu', extraLayers: [{ layer: block, pool: 'mean' }, { layer: block, pool: 'mean' }] }),
    (e: any) => e instanceof UsageError && e.message.includes(`'${block}+gap' is asked for more than once`),
  );
});
