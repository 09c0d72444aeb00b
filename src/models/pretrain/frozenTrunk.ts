import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { UsageError } from '../../util/errors.js';
import { buildZooNetwork, CLASSIFIER_LAYER, PENULTIMATE_LAYER, type ZooArchitecture, type ZooNetwork } from './architectures.js';
import { fileModelHandler } from '../tfjsFiles.js';
import type { TrainingData } from './train.js';

/** The layer whose output feeds `penultimate` in each architecture (the trunk's end). */
export const TRUNK_OUTPUT_LAYER: Record<ZooArchitecture, string> = { resnet: 'flatten', vgg: 'flatten', mlp: 'hidden1' };

/** Loads a saved zoo model from `<zooDir>/<name>/`; throws a UsageError naming what to train first. */
export async function loadSavedZooModel(zooDir: string, name: string): Promise<tfl.LayersModel> {
  const dir = join(zooDir, name);
  if (!existsSync(join(dir, 'model.json'))) throw new UsageError(`${dir}: no saved model; train '${name}' first (dr pretrain --model ${name})`);
  return tfl.loadLayersModel(fileModelHandler(dir));
}

/**
 * Runs `source` up to `layerName` on every image (batches of `batch`), giving one trunk feature
 * vector per image, shaped as 1×1×dim "images" so the ordinary trainer can consume them.
 */
export function computeTrunkFeatures(source: tfl.LayersModel, layerName: string, data: TrainingData, batch = 500): TrainingData {
  const trunk = tfl.model({ inputs: source.inputs, outputs: source.getLayer(layerName).output as tfl.SymbolicTensor });
  const dim = (trunk.outputs[0].shape as number[]).slice(1).reduce((a, b) => a * b, 1);
  const out = new Float32Array(data.n * dim);
  const size = data.height * data.width * data.channels;
  for (let from = 0; from < data.n; from += batch) {
    const to = Math.min(data.n, from + batch);
    const feats = tf.tidy(() => {
      const x = tf.tensor4d(data.images.subarray(from * size, to * size), [to - from, data.height, data.width, data.channels]);
      return (trunk.predict(x) as tf.Tensor).dataSync();
    });
    out.set(feats, from * dim);
  }
  return { images: out, labels: data.labels, n: data.n, height: 1, width: 1, channels: dim };
}

/**
 * The trainable head of a frozen-trunk model: trunk features (1×1×dim) → Dense(width) + ReLU
 * = `penultimate` → Dense(classes) = `classifier`. Layer names match
 * {@link buildZooNetwork}, so the trained weights drop into the full network.
 */
export function buildHeadNetwork(opts: { dim: number; width: number; classes: number; seed: number }): ZooNetwork {
  const input = tfl.input({ shape: [1, 1, opts.dim], name: 'trunk_features' });
  const flat = tfl.layers.flatten({ name: 'head_flatten' }).apply(input) as tfl.SymbolicTensor;
  const penultimate = tfl.layers.dense({
    units: opts.width, activation: 'relu', kernelInitializer: tfl.initializers.heNormal({ seed: opts.seed * 1000 + 900 }), name: PENULTIMATE_LAYER,
  }).apply(flat) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: opts.classes, kernelInitializer: tfl.initializers.glorotUniform({ seed: opts.seed * 1000 + 901 }), name: CLASSIFIER_LAYER }).apply(penultimate) as tfl.SymbolicTensor;
  return {
    model: tfl.model({ inputs: input, outputs: logits, name: 'zoo_head' }),
    trainView: tfl.model({ inputs: input, outputs: [penultimate, logits], name: 'zoo_head_train' }),
  };
}

/**
 * The full image → logits network of a frozen-trunk model: trunk weights copied from
 * `source`, `penultimate` and `classifier` from the trained `head`.
 */
export function assembleFrozenTrunkModel(
  architecture: ZooArchitecture,
  source: tfl.LayersModel,
  head: tfl.LayersModel,
  opts: { width: number; classes: number; seed: number; inputShape?: [number, number, number] },
): tfl.LayersModel {
  const { model } = buildZooNetwork({ architecture, ...opts });
  for (const layer of model.layers) {
    if (layer.getWeights().length === 0) continue;
    const from = layer.name === PENULTIMATE_LAYER || layer.name === CLASSIFIER_LAYER ? head.getLayer(layer.name) : source.getLayer(layer.name);
    layer.setWeights(from.getWeights());
  }
  return model;
}
