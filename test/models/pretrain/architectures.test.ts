import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initTrainingBackend } from '../../../src/models/pretrain/trainingBackend.js';
import { buildZooNetwork, PENULTIMATE_LAYER, CLASSIFIER_LAYER, type ZooArchitecture } from '../../../src/models/pretrain/architectures.js';
import { trainZooNetwork, type TrainingData } from '../../../src/models/pretrain/train.js';
import { forwardFlopsPerImage } from '../../../src/models/pretrain/flops.js';
import type { ZooModelSpec } from '../../../src/models/pretrain/zooSpecs.js';

/** 32 tiny 28×28 images of two easy classes: bright left half vs bright right half. */
function tinyData(): TrainingData {
  const n = 32;
  const images = new Float32Array(n * 784);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    labels[i] = i % 2;
    for (let p = 0; p < 784; p++) images[i * 784 + p] = (p % 28 < 14) === (i % 2 === 0) ? 0.9 : 0.1;
  }
  return { images, labels, n, height: 28, width: 28, channels: 1 };
}

const base: ZooModelSpec = {
  name: 't', architecture: 'resnet', width: 16, loss: { kind: 'ce' }, dropout: 0, data: { fraction: 1, classes: [0, 1] },
  epochs: 4, batchSize: 16, learningRate: 2e-3, seed: 0, purpose: 'test',
};

/** The layers feeding `name` in the model's graph. */
const inbound = (model: tfl.LayersModel, name: string) => model.getLayer(name).inboundNodes[0].inboundLayers;

test('each architecture: penultimate layer feeds the classifier; a few steps lower the loss', async () => {
  await initTrainingBackend('wasm');
  for (const architecture of ['resnet', 'vgg', 'mlp'] as ZooArchitecture[]) {
    const { model } = buildZooNetwork({ architecture, width: 24, classes: 10, seed: 1 });
    const pen = model.getLayer(PENULTIMATE_LAYER);
    assert.deepEqual(pen.outputShape, [null, 24]);
    const cls = model.getLayer(CLASSIFIER_LAYER);
    assert.deepEqual(inbound(model, CLASSIFIER_LAYER).map((l) => l.name), [PENULTIMATE_LAYER], architecture);
    assert.equal(model.outputs[0].sourceLayer.name, CLASSIFIER_LAYER, 'the classifier is the last layer');
    assert.equal(cls.getClassName(), 'Dense');
    const reports: number[] = [];
    const trained = trainZooNetwork({ ...base, architecture }, tinyData(), 2, { onEpoch: (r) => reports.push(r.loss) });
    assert.ok(reports[reports.length - 1] < reports[0], `${architecture}: loss ${reports.join(' → ')}`);
    trained.trainView.dispose();
  }
});

test('convolutional networks: penultimate = global average pool of a 1×1 expansion + BN + ReLU of the last stage', async () => {
  await initTrainingBackend('wasm');
  for (const architecture of ['resnet', 'vgg'] as ZooArchitecture[]) {
    const { model } = buildZooNetwork({ architecture, width: 40, classes: 10, seed: 1 });
    assert.equal(model.getLayer(PENULTIMATE_LAYER).getClassName(), 'GlobalAveragePooling2D', architecture);
    const chain = [PENULTIMATE_LAYER];
    for (let i = 0; i < 3; i++) chain.push(inbound(model, chain[chain.length - 1])[0].name);
    assert.deepEqual(chain.slice(1).map((n) => model.getLayer(n).getClassName()), ['Activation', 'BatchNormalization', 'Conv2D'], architecture);
    const expand = model.getLayer(chain[3]).getConfig() as { kernelSize: number[]; filters: number };
    assert.deepEqual(expand.kernelSize, [1, 1]);
    assert.equal(expand.filters, 40);
    assert.deepEqual((model.getLayer(chain[3]).output as tfl.SymbolicTensor).shape, [null, 7, 7, 40], 'expansion at the last stage (7×7)');
  }
  // The pooled features are the mean over positions of the expansion's output, and the logits are a linear map of them.
  const net = buildZooNetwork({ architecture: 'resnet', width: 12, classes: 3, seed: 2 });
  const x = tf.tensor4d(tinyData().images.subarray(0, 4 * 784), [4, 28, 28, 1]);
  const relu = tfl.model({ inputs: net.model.inputs, outputs: net.model.getLayer('expand_conv_relu').output as tfl.SymbolicTensor });
  const maps = (relu.predict(x) as tf.Tensor).arraySync() as number[][][][];
  const [feats, logits] = (net.trainView.predict(x) as tf.Tensor[]).map((t) => t.arraySync() as number[][]);
  const [kernel, bias] = net.model.getLayer(CLASSIFIER_LAYER).getWeights().map((w) => w.arraySync() as number[][] & number[]);
  for (let i = 0; i < 4; i++) {
    for (let c = 0; c < 12; c++) {
      let mean = 0;
      for (let y = 0; y < 7; y++) for (let xx = 0; xx < 7; xx++) mean += maps[i][y][xx][c] / 49;
      assert.ok(Math.abs(mean - feats[i][c]) < 1e-5, `pool ${i},${c}`);
    }
    for (let k = 0; k < 3; k++) {
      const z = feats[i].reduce((s, f, c) => s + f * kernel[c][k], bias[k] as unknown as number);
      assert.ok(Math.abs(z - logits[i][k]) < 1e-4, `logit ${i},${k}`);
    }
  }
});

test('MLP: penultimate = ReLU of batch-normalised Dense; BN moving statistics are updated in training only', async () => {
  await initTrainingBackend('wasm');
  const { model } = buildZooNetwork({ architecture: 'mlp', width: 16, classes: 2, seed: 1 });
  assert.deepEqual(inbound(model, PENULTIMATE_LAYER).map((l) => l.getClassName()), ['BatchNormalization']);
  const t = trainZooNetwork({ ...base, architecture: 'mlp', epochs: 1 }, tinyData(), 2, { onEpoch: () => {}, maxBatchesPerEpoch: 2 });
  const bn = t.model.getLayer('hidden2_bn').getWeights(); // gamma, beta, moving mean, moving variance
  assert.equal(bn.length, 4);
  assert.ok(bn[2].dataSync().some((v) => v !== 0), 'moving mean moved away from its initial 0');
  assert.ok(bn[3].dataSync().some((v) => v !== 1), 'moving variance moved away from its initial 1');
  t.trainView.dispose();
});

test('adversarial, Matryoshka, DeCov and dropout variants train one step without error', async () => {
  await initTrainingBackend('wasm');
  const variants: Array<Partial<ZooModelSpec>> = [
    { loss: { kind: 'pgd-l2', eps: 1, steps: 2 } },
    { loss: { kind: 'mrl', nesting: [4, 8] } },
    { loss: { kind: 'decov', alpha: 1e-2 } },
    { dropout: 0.5 },
  ];
  for (const v of variants) {
    const r: number[] = [];
    const t = trainZooNetwork({ ...base, ...v, epochs: 1 }, tinyData(), 2, { onEpoch: (e) => r.push(e.loss), maxBatchesPerEpoch: 1 });
    assert.ok(Number.isFinite(r[0]), JSON.stringify(v));
    if (v.loss?.kind === 'mrl') assert.deepEqual(t.mrlHeads!.map((h) => h.k), [4, 8]);
    tf.dispose(t.mrlHeads?.flatMap((h) => [h.kernel, h.bias]) ?? []);
    t.trainView.dispose();
  }
});

test('FLOPs per image match the hand count of the ResNet-style network (width 128; BN and pooling not counted)', async () => {
  await initTrainingBackend('wasm');
  const { model } = buildZooNetwork({ architecture: 'resnet', width: 128, classes: 10, seed: 0 });
  const hand =
    28 * 28 * 9 * 1 * 16 * 2 + // stem 3×3, 1→16 at 28×28
    2 * (14 * 14 * 9 * 16 * 16 * 2) + // block 1: two 3×3 16→16 at 14×14
    7 * 7 * 9 * 16 * 32 * 2 + 7 * 7 * 9 * 32 * 32 * 2 + 7 * 7 * 16 * 32 * 2 + // block 2 + 1×1 shortcut
    7 * 7 * 32 * 128 * 2 + 128 * 10 * 2; // 1×1 expansion to 128 at 7×7, and the classifier
  assert.equal(forwardFlopsPerImage(model), hand);
  assert.equal(hand, 3841024);
});
