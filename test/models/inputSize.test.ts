import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfc from '@tensorflow/tfjs-converter';
import { extractFeaturesDetailed } from '../../src/models/extractFeatures.js';
import { loadFeatureExtractor } from '../../src/models/load.js';
import { findPretrainedModel, pretrainedDir } from '../../src/models/pretrained.js';
import { fileModelHandler } from '../../src/models/tfjsFiles.js';
import { useTfBackend } from '../../src/models/tfRuntime.js';
import { UsageError } from '../../src/util/errors.js';
import { silentProgress } from '../../src/util/progress.js';
import { maxAbsDiff, tinyDataset } from './helpers/tinyModels.js';

const S = 96;

/** Two seeded RGB images in [0, 1] at S×S, as the loader's preprocessing produces them (unit range, no normalisation). */
function images(n: number): Float32Array {
  return Float32Array.from(tinyDataset(n, S, S, 3, 5).images);
}

/** Global average over height and width of an n×h×w×c tensor, by hand (sum then divide). */
function poolByHand(t: tf.Tensor): Float32Array {
  const [n, h, w, c] = t.shape as number[];
  const x = t.dataSync();
  const out = new Float32Array(n * c);
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) for (let k = 0; k < c; k++) out[i * c + k] += x[(i * h * w + p) * c + k];
  return out.map((v) => v / (h * w));
}

test('mobilenetv2-1.4 (graph) at 96 px: the rewritten pool equals the original graph\'s trunk at 96, pooled by hand', async () => {
  await useTfBackend('cpu');
  const entry = findPretrainedModel('mobilenetv2-1.4')!;
  const x = images(2);
  const resized = await loadFeatureExtractor('mobilenetv2-1.4', { inputSize: S, backend: 'cpu' });
  try {
    assert.equal(resized.d, 1792);
    assert.equal(resized.id, 'pretrained/mobilenetv2-1.4@96');
    assert.equal(resized.preprocessing.height, S);
    const got = await resized.forward(x, 2);
    // The unmodified graph (224×224 placeholder). Its input check would refuse 96 px at `input`, so the
    // image enters at the placeholder's only consumer, hub_input/Mul, computed here as input · y from
    // the graph's own constant; the trunk output (the AvgPool's input) is then pooled by hand.
    const original = await tfc.loadGraphModel(fileModelHandler(join(pretrainedDir(), 'mobilenetv2-1.4')));
    const prefix = entry.trunkNode.slice(0, entry.trunkNode.indexOf('MobilenetV2/'));
    const mul = `${prefix}hub_input/Mul`;
    const y = original.weights[`${mul}/y`][0];
    const trunk = tf.tidy(() => original.execute({ [mul]: tf.mul(tf.tensor4d(x, [2, S, S, 3]), y) }, entry.trunkNode) as tf.Tensor);
    assert.deepEqual(trunk.shape, [2, 3, 3, 1792]);
    const want = poolByHand(trunk);
    trunk.dispose();
    original.dispose();
    assert.ok(maxAbsDiff(got, want) < 1e-5, `max |diff| ${maxAbsDiff(got, want)}`);
    assert.ok(want.some((v) => v > 0.1), 'features are not all zero');
  } finally {
    await resized.dispose();
  }
});

test('mobilenetv2-1.0 (layers) at 96 px: the rewritten pool equals the original model\'s out_relu at 96, pooled by hand', async () => {
  await useTfBackend('cpu');
  const x = images(2);
  const resized = await loadFeatureExtractor('mobilenetv2-1.0', { inputSize: S, backend: 'cpu' });
  try {
    assert.equal(resized.d, 1280);
    const got = await resized.forward(x, 2);
    // The unmodified 224-px model run at 96 px through its symbolic graph (execute does not check the
    // InputLayer's declared size; convolution weights do not depend on it).
    const original = await tfl.loadLayersModel(fileModelHandler(join(pretrainedDir(), 'mobilenetv2-1.0')));
    assert.deepEqual(original.inputs[0].shape, [null, 224, 224, 3]);
    const trunk = tf.tidy(() => original.execute(tf.tensor4d(x, [2, S, S, 3]), (original.getLayer('out_relu').output as tfl.SymbolicTensor).name) as tf.Tensor);
    assert.deepEqual(trunk.shape, [2, 3, 3, 1280]);
    const want = poolByHand(trunk);
    trunk.dispose();
    original.dispose();
    assert.ok(maxAbsDiff(got, want) < 1e-5, `max |diff| ${maxAbsDiff(got, want)}`);
  } finally {
    await resized.dispose();
  }
});

test('--input-size too small for the strides is a UsageError naming the model; the cache key includes the size', async () => {
  await assert.rejects(loadFeatureExtractor('mobilenetv2-1.4', { inputSize: 16, backend: 'cpu' }), (e: any) => e instanceof UsageError && /mobilenetv2-1\.4/.test(e.message) && /too small for the network's strides \(at least 32/.test(e.message));
  await assert.rejects(loadFeatureExtractor('mobilenetv2-1.0', { inputSize: 31, backend: 'cpu' }), (e: any) => e instanceof UsageError && /mobilenetv2-1\.0/.test(e.message) && /too small/.test(e.message));
  const root = await mkdtemp(join(tmpdir(), 'dr-insize-'));
  try {
    const ds = tinyDataset(2, 8, 8, 1);
    const paths = [];
    for (const inputSize of [32, 64]) {
      const r = await extractFeaturesDetailed({ model: 'mobilenetv2-1.0', inputSize, dataset: ds, split: 'test', backend: 'cpu', cacheDir: root, progress: silentProgress });
      assert.equal(r.d, 1280);
      paths.push(r.path);
    }
    assert.notEqual(paths[0], paths[1]);
    assert.match(paths[0], /mobilenetv2-1\.0-32/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
