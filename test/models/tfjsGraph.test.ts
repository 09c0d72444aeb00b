import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { loadGraphModel } from '@tensorflow/tfjs-converter';
import { fileModelHandler } from '../../src/models/tfjsFiles.js';
import { graphExtractor } from '../../src/models/tfjsGraph.js';
import { useTfBackend } from '../../src/models/tfRuntime.js';
import { denseRelu, maxAbsDiff, tinyDataset, tinyDense, writeTinyGraphModel } from './helpers/tinyModels.js';

test('graph extractor returns node `features` of a hand-written GraphDef = relu(x·W + b)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-graph-'));
  try {
    await useTfBackend('cpu');
    const spec = tinyDense(3, 3, 1, 5, 2, 31);
    await writeTinyGraphModel(dir, spec);
    const model = await loadGraphModel(fileModelHandler(dir));
    const ex = await graphExtractor(model, { id: 'g', weightsHash: 'h', layer: 'features' });
    assert.equal(ex.d, 5);
    const ds = tinyDataset(4, 3, 3, 1);
    const got = await ex.extract(ds);
    const want = denseRelu(ds.images, 4, 9, spec.W, spec.b, 5);
    assert.ok(maxAbsDiff(got, want) < 1e-5, `max diff ${maxAbsDiff(got, want)}`);
    const byDefault = await graphExtractor(await loadGraphModel(fileModelHandler(dir)), { id: 'g', weightsHash: 'h' });
    assert.equal(byDefault.layer, 'logits');
    assert.equal(byDefault.d, 2);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 300; i++) await ex.extract(ds);
    assert.equal(tf.memory().numTensors, before);
    await ex.dispose();
    await byDefault.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
