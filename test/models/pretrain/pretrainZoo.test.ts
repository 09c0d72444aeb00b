import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTrainingBackend } from '../../../src/models/pretrain/trainingBackend.js';
import { pretrainZooModel, pretrainSubset, readZooIndex } from '../../../src/models/pretrain/pretrainZoo.js';
import { fileModelHandler } from '../../../src/models/tfjsFiles.js';
import { ZOO_SPECS, zooSpec, type ZooManifest } from '../../../src/models/pretrain/zooSpecs.js';
import type { ImageDataset } from '../../../src/datasets/types.js';
import { dataDir } from '../../../src/util/paths.js';

function fakeFashion(n: number): ImageDataset {
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 10;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = ((p + 13 * labels[i]) % 28) / 28;
  }
  return { id: 'fake', images, labels, n, height: 28, width: 28, channels: 1, classNames: [] };
}

/** Checks the manifest fields other modules rely on. */
function checkManifest(m: ZooManifest, dir: string): void {
  for (const k of ['name', 'architecture', 'width', 'loss', 'pretrainData', 'epochs', 'seed', 'testAccuracy', 'weightsSha256', 'flopsPerImage', 'trainSeconds'] as const) {
    assert.ok(m[k] !== undefined, `manifest field ${k}`);
  }
  assert.equal(m.penultimateLayer, 'penultimate');
  assert.ok(m.testAccuracy >= 0 && m.testAccuracy <= 1);
  assert.match(m.weightsSha256, /^[0-9a-f]{64}$/);
  assert.equal(createHash('sha256').update(readFileSync(join(dir, 'weights.bin'))).digest('hex'), m.weightsSha256);
  assert.equal(m.classes.length, m.classNames.length);
}

test('pre-training subsets: classes relabelled, fraction seeded', () => {
  const ds = fakeFashion(100);
  const five = pretrainSubset(ds, [0, 1, 2, 3, 4], 1, 0);
  assert.equal(five.n, 50);
  assert.ok(Array.from(five.labels).every((l) => l < 5));
  const tenth = pretrainSubset(ds, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 0.1, 0);
  assert.equal(tenth.n, 10);
  assert.deepEqual(pretrainSubset(ds, [5, 7], 1, 0).labels.slice(0, 2), Int32Array.from([0, 1]));
});

test('pretrainZooModel saves model.json + weights.bin + manifest.json and zoo.json; reloads to equal outputs', async () => {
  await initTrainingBackend('wasm');
  const out = mkdtempSync(join(tmpdir(), 'zoo-'));
  const spec = { ...zooSpec('resnet-classes5'), name: 'tiny', width: 8, epochs: 1, batchSize: 20 };
  const m = await pretrainZooModel(spec, { outDir: out, trainval: fakeFashion(100), test: fakeFashion(30), maxBatchesPerEpoch: 2, onEpoch: () => {}, log: () => {} });
  const dir = join(out, 'tiny');
  assert.deepEqual(readdirSync(dir).sort(), ['manifest.json', 'model.json', 'weights.bin']);
  assert.deepEqual(readdirSync(out).sort(), ['tiny', 'zoo.json'], 'no temporary folders left');
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ZooManifest;
  checkManifest(manifest, dir);
  assert.equal(manifest.testImages, 15);
  assert.deepEqual(manifest.classes, [0, 1, 2, 3, 4]);
  assert.equal(m.weightsSha256, manifest.weightsSha256);
  assert.deepEqual((await readZooIndex(out)).map((e) => e.name), ['tiny']);
  const model = await tfl.loadLayersModel(fileModelHandler(dir));
  assert.deepEqual(model.getLayer('penultimate').outputShape, [null, 8]);
  assert.equal((model.outputs[0].shape as number[])[1], 5);
  const x = tf.tensor4d(fakeFashion(2).images, [2, 28, 28, 1]);
  const y = (model.predict(x) as tf.Tensor).dataSync();
  assert.equal(y.length, 10);
  assert.ok(Array.from(y).every(Number.isFinite));
});

test('committed zoo manifests follow the schema', () => {
  const zoo = join(dataDir(), 'models');
  if (!existsSync(join(zoo, 'zoo.json'))) return;
  const index = JSON.parse(readFileSync(join(zoo, 'zoo.json'), 'utf8')) as { models: Array<{ name: string; weightsSha256: string }> };
  let total = 0;
  for (const e of index.models) {
    const dir = join(zoo, e.name);
    const m = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ZooManifest;
    checkManifest(m, dir);
    assert.equal(m.weightsSha256, e.weightsSha256);
    assert.ok(ZOO_SPECS.some((s) => s.name === m.name), m.name);
    if (m.loss.kind === 'pgd-l2') {
      // Robust accuracy is measured with a stronger attack than the training one (same radius, more steps).
      assert.ok(m.robustAccuracy, `${m.name}: robust accuracy recorded`);
      assert.equal(m.robustAccuracy.eps, m.loss.eps);
      assert.ok(m.robustAccuracy.steps > m.loss.steps && m.robustAccuracy.images >= 1000, JSON.stringify(m.robustAccuracy));
      assert.ok(m.robustAccuracy.accuracy <= m.testAccuracy, `${m.name}: robust ≤ clean accuracy`);
    }
    total += m.weightsBytes;
  }
  assert.ok(total <= 40 * 1024 * 1024, `zoo weights ${total} bytes (the issue allows 40 MB)`);
});

test('training is reproducible: same spec and seed give the same weights (dropout included)', async () => {
  await initTrainingBackend('wasm');
  const shas: string[] = [];
  for (let run = 0; run < 2; run++) {
    const out = mkdtempSync(join(tmpdir(), 'zoo-rep-'));
    const m = await pretrainZooModel({ ...zooSpec('mlp'), width: 8, epochs: 2, batchSize: 20, dropout: 0.5 }, {
      outDir: out, trainval: fakeFashion(60), test: fakeFashion(10), maxBatchesPerEpoch: 2, onEpoch: () => {}, log: () => {},
    });
    shas.push(m.weightsSha256);
  }
  assert.equal(shas[0], shas[1]);
});
