import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileModelHandler } from '../../src/models/tfjsFiles.js';
import { defaultLayersFeatureLayer, layersExtractor } from '../../src/models/tfjsLayers.js';
import { useTfBackend } from '../../src/models/tfRuntime.js';
import { denseRelu, maxAbsDiff, tinyDataset, tinyDense, writeTinyLayersModel } from './helpers/tinyModels.js';

test('layers extractor returns the penultimate layer = relu(x·W + b) computed by hand', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-layers-'));
  try {
    const spec = tinyDense(4, 4, 1, 6, 3, 21);
    (await writeTinyLayersModel(dir, spec)).dispose();
    const model = await tfl.loadLayersModel(fileModelHandler(dir));
    assert.equal(defaultLayersFeatureLayer(model), 'penultimate');
    const ex = await layersExtractor(model, { id: 'tiny', weightsHash: 'h' });
    assert.equal(ex.d, 6);
    assert.equal(ex.layer, 'penultimate');
    assert.equal(ex.preprocessing.layout, 'NHWC');
    const ds = tinyDataset(5, 4, 4, 1);
    const got = await ex.extract(ds);
    const want = denseRelu(ds.images, 5, 16, spec.W, spec.b, 6);
    assert.ok(maxAbsDiff(got, want) < 1e-5, `max diff ${maxAbsDiff(got, want)}`);
    const logits = await (await layersExtractor(await tfl.loadLayersModel(fileModelHandler(dir)), { id: 'tiny', weightsHash: 'h', layer: 'classifier' })).extract(ds);
    assert.equal(logits.length, 5 * 3);
    await assert.rejects(layersExtractor(model, { id: 'tiny', weightsHash: 'h', layer: 'fc9' }), /no layer named 'fc9' \(layers: flatten, penultimate, classifier\)/);
    await ex.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('without a layer named penultimate, the default is the input of the final Dense layer', async () => {
  await useTfBackend('cpu');
  const input = tfl.input({ shape: [2, 2, 1] });
  const flat = tfl.layers.flatten().apply(input) as tfl.SymbolicTensor;
  const fc = tfl.layers.dense({ units: 3, name: 'fc7' }).apply(flat) as tfl.SymbolicTensor;
  const out = tfl.layers.dense({ units: 2, name: 'head' }).apply(fc) as tfl.SymbolicTensor;
  const model = tfl.model({ inputs: input, outputs: out });
  assert.equal(defaultLayersFeatureLayer(model), 'fc7');
  model.dispose();
});

test('tensor memory stays flat over 1,000 batches on the cpu and wasm backends', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-layers-'));
  try {
    (await writeTinyLayersModel(dir, tinyDense(4, 4, 1, 6, 3, 5))).dispose();
    const ds = tinyDataset(2, 4, 4, 1);
    const reference = denseRelu(ds.images, 2, 16, tinyDense(4, 4, 1, 6, 3, 5).W, tinyDense(4, 4, 1, 6, 3, 5).b, 6);
    for (const backend of ['cpu', 'wasm'] as const) {
      assert.equal(await useTfBackend(backend), backend);
      const ex = await layersExtractor(await tfl.loadLayersModel(fileModelHandler(dir)), { id: 'tiny', weightsHash: 'h' });
      assert.equal(ex.backend, `tfjs-${backend}`);
      assert.ok(maxAbsDiff(await ex.extract(ds), reference) < 1e-5);
      const before = tf.memory();
      for (let i = 0; i < 1000; i++) await ex.extract(ds);
      const after = tf.memory();
      assert.equal(after.numTensors, before.numTensors, backend);
      assert.equal(after.numBytes, before.numBytes, backend);
      await ex.dispose();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
