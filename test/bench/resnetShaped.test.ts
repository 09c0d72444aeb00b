import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { onnxExtractor } from '../../src/models/onnxExtractor.js';
import { encodeOnnxGraph } from '../../src/util/onnxProto.js';
import { preprocessImages, resolvePreprocess } from '../../src/models/preprocess.js';
import { buildResNetShaped, tfjsResNetShaped } from '../../bench/resnetShaped.js';
import { useTfBackend } from '../../src/models/tfRuntime.js';
import { maxAbsDiff, tinyDataset } from '../models/helpers/tinyModels.js';

// Built once (25.6 M random weights) and shared by the shape check and the extraction test.
const resnet50 = buildResNetShaped({ seed: 1 });

test('ResNet50 shape: 25.6 M parameters (with BN), 8.18 GFLOP per 224×224 image, 2048 features', () => {
  const net = resnet50;
  // torchvision resnet50: 25,557,032 parameters; plus BN running stats (2 per channel) counted here.
  assert.equal(net.width, 2048);
  assert.ok(Math.abs(net.parameters - 25.58e6) < 0.01e6, `${net.parameters}`);
  // 4.09 GMAC for the convs and fc of ResNet50 v1.5 → ≈ 8.18 GFLOP.
  assert.ok(Math.abs(net.flopsPerImage / 1e9 - 8.18) < 0.01, `${net.flopsPerImage}`);
});

test('onnxruntime and the TF.js interpretation of the same small ResNet-shaped graph agree', async () => {
  const net = buildResNetShaped({ blocks: [1, 1, 1, 1], base: 8, size: 32, classes: 10, seed: 2 });
  const ds = tinyDataset(3, 32, 32, 3);
  const pre = { ...resolvePreprocess('imagenet-upsample'), height: 32, width: 32 };
  const ex = await onnxExtractor(encodeOnnxGraph(net.graph), { id: 'r', layer: 'features', preprocessing: pre, provider: 'cpu' });
  const viaOrt = await ex.extract(ds);
  await ex.dispose();
  await useTfBackend('cpu');
  const model = tfjsResNetShaped(net);
  const input = tf.tensor4d(preprocessImages(ds.images, 3, 32, 32, 3, pre, 'NHWC'), [3, 32, 32, 3]);
  const y = model.forward(input);
  const viaTf = await y.data();
  y.dispose();
  input.dispose();
  model.dispose();
  assert.equal(viaOrt.length, 3 * 256);
  assert.ok(maxAbsDiff(viaOrt, viaTf) < 1e-4, `max diff ${maxAbsDiff(viaOrt, viaTf)}`);
});

test('a full ResNet50-shaped ONNX model extracts 2048-d features on CPU here', async () => {
  const ex = await onnxExtractor(encodeOnnxGraph(resnet50.graph), { id: 'onnx/resnet50-random', preprocessing: resolvePreprocess('imagenet'), provider: 'cpu' });
  assert.equal(ex.layer, 'features');
  assert.equal(ex.d, 2048);
  const out = await ex.extract(tinyDataset(2, 32, 32, 3));
  await ex.dispose();
  assert.equal(out.length, 2 * 2048);
  assert.ok(out.every((v) => Number.isFinite(v) && v >= 0));
  assert.ok(out.some((v) => v > 0));
});
