import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
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

test('each architecture: penultimate layer feeds the classifier; a few steps lower the loss', async () => {
  await initTrainingBackend('wasm');
  for (const architecture of ['resnet', 'vgg', 'mlp'] as ZooArchitecture[]) {
    const { model } = buildZooNetwork({ architecture, width: 24, classes: 10, seed: 1 });
    const pen = model.getLayer(PENULTIMATE_LAYER);
    assert.deepEqual(pen.outputShape, [null, 24]);
    const cls = model.getLayer(CLASSIFIER_LAYER);
    assert.equal(cls.inboundNodes[0].inboundLayers[0].name, PENULTIMATE_LAYER, architecture);
    const reports: number[] = [];
    const trained = trainZooNetwork({ ...base, architecture }, tinyData(), 2, { onEpoch: (r) => reports.push(r.loss) });
    assert.ok(reports[reports.length - 1] < reports[0], `${architecture}: loss ${reports.join(' → ')}`);
    trained.trainView.dispose();
  }
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

test('FLOPs per image match the hand count of the ResNet-style network (width 128)', async () => {
  await initTrainingBackend('wasm');
  const { model } = buildZooNetwork({ architecture: 'resnet', width: 128, classes: 10, seed: 0 });
  const hand =
    28 * 28 * 9 * 1 * 16 * 2 + // stem 3×3, 1→16 at 28×28
    2 * (14 * 14 * 9 * 16 * 16 * 2) + // block 1: two 3×3 16→16 at 14×14
    7 * 7 * 9 * 16 * 32 * 2 + 7 * 7 * 9 * 32 * 32 * 2 + 7 * 7 * 16 * 32 * 2 + // block 2 + 1×1 shortcut
    1568 * 128 * 2 + 128 * 10 * 2; // penultimate Dense and classifier
  assert.equal(forwardFlopsPerImage(model), hand);
  assert.equal(hand, 3841024);
});
