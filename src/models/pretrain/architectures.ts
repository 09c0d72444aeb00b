import * as tf from '@tensorflow/tfjs-layers';

/** Architectures of the miniature zoo. */
export type ZooArchitecture = 'resnet' | 'vgg' | 'mlp';

/** What to build: architecture, penultimate width, classes. */
export interface ArchitectureOptions {
  architecture: ZooArchitecture;
  /** Width of the layer named `penultimate` (the classifier's input). */
  width: number;
  classes: number;
  /** Seeds every initializer (layer i gets seed·1000 + 1 + i). */
  seed: number;
  /** Input size (default 28×28×1, Fashion-MNIST). */
  inputShape?: [number, number, number];
}

/** Name of the layer whose output is the representation studied by the paper. */
export const PENULTIMATE_LAYER = 'penultimate';
/** Name of the final Dense classifier. */
export const CLASSIFIER_LAYER = 'classifier';
/**
 * Momentum of the batch-normalisation moving statistics. Lower than Keras's 0.99 because a zoo
 * model trains for only a few hundred steps per epoch; the inference statistics must settle.
 */
export const BN_MOMENTUM = 0.9;

type T = tf.SymbolicTensor;

class SeedCounter {
  private i = 0;
  constructor(private readonly base: number) {}
  // Seeds start at 1: tfjs's normal initializers treat seed 0 as "no seed" (Math.random).
  he() {
    return tf.initializers.heNormal({ seed: this.base * 1000 + 1 + this.i++ });
  }
  glorot() {
    return tf.initializers.glorotUniform({ seed: this.base * 1000 + 1 + this.i++ });
  }
}

/** Convolution (stride 1, same padding, no bias) followed by batch normalisation, and a ReLU unless `relu` is false. */
function convBn(x: T, seeds: SeedCounter, filters: number, kernel: number, name: string, relu = true): T {
  let h = tf.layers.conv2d({ filters, kernelSize: kernel, strides: 1, padding: 'same', useBias: false, kernelInitializer: seeds.he(), name }).apply(x) as T;
  h = tf.layers.batchNormalization({ momentum: BN_MOMENTUM, name: `${name}_bn` }).apply(h) as T;
  return relu ? (tf.layers.activation({ activation: 'relu', name: `${name}_relu` }).apply(h) as T) : h;
}

/**
 * The feature head shared by the convolutional networks, as in MobileNetV2: a 1×1 convolution
 * expanding the last stage to `width` channels, batch normalisation, ReLU, then the global
 * average pool = `penultimate` (as ResNet50's pooled features: the classifier's input). The
 * normalisation before the ReLU keeps every channel firing on part of the image, so no pooled
 * unit is dead; the 1×1 convolution keeps width cheap (h·w·c·width multiply-adds).
 */
function expandAndPool(x: T, width: number, seeds: SeedCounter): T {
  const h = convBn(x, seeds, width, 1, 'expand_conv');
  return tf.layers.globalAveragePooling2d({ name: PENULTIMATE_LAYER }).apply(h) as T;
}

/**
 * Residual network (conv + BN + ReLU throughout): 3×3 stem (16) + 2×2 average pool to 14×14,
 * one identity block (16), one down-sampling block (2×2 average pool, two 3×3 convs to 32
 * channels at 7×7, 1×1 projection shortcut), then {@link expandAndPool}.
 * ≈ 3.4 MFLOP + 3,136·width FLOP per image.
 */
function resnetTrunk(input: T, width: number, seeds: SeedCounter): T {
  let x = convBn(input, seeds, 16, 3, 'stem_conv');
  x = tf.layers.averagePooling2d({ poolSize: 2, name: 'stem_pool' }).apply(x) as T;
  let h = convBn(x, seeds, 16, 3, 'block1_conv1');
  h = convBn(h, seeds, 16, 3, 'block1_conv2', false);
  x = tf.layers.add({ name: 'block1_add' }).apply([x, h]) as T;
  x = tf.layers.activation({ activation: 'relu', name: 'block1_relu' }).apply(x) as T;
  // Down-sample by average pooling first (ResNet-D style) so every convolution has stride 1.
  x = tf.layers.averagePooling2d({ poolSize: 2, name: 'block2_pool' }).apply(x) as T;
  h = convBn(x, seeds, 32, 3, 'block2_conv1');
  h = convBn(h, seeds, 32, 3, 'block2_conv2', false);
  const shortcut = convBn(x, seeds, 32, 1, 'block2_shortcut', false);
  x = tf.layers.add({ name: 'block2_add' }).apply([shortcut, h]) as T;
  x = tf.layers.activation({ activation: 'relu', name: 'block2_relu' }).apply(x) as T;
  return expandAndPool(x, width, seeds);
}

/**
 * Plain VGG-style network without shortcuts: 3×3 conv + BN + ReLU stages of 16 and 32 channels,
 * each followed by a 2×2 max-pool (28 → 14 → 7), a third stage of 64 channels at 7×7, then
 * {@link expandAndPool}. ≈ 3.9 MFLOP + 6,272·width FLOP per image.
 */
function vggTrunk(input: T, width: number, seeds: SeedCounter): T {
  let x = input;
  [16, 32].forEach((f, i) => {
    x = convBn(x, seeds, f, 3, `stage${i + 1}_conv`);
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `stage${i + 1}_pool` }).apply(x) as T;
  });
  x = convBn(x, seeds, 64, 3, 'stage3_conv');
  return expandAndPool(x, width, seeds);
}

/**
 * MLP: flatten, Dense(256) + ReLU, then Dense(width, no bias) + BN + ReLU = `penultimate`, the
 * classifier's input. The normalisation before the ReLU keeps every unit firing on about half
 * the images (a plain Dense + ReLU layer leaves a share of units dead). ≈ 0.4 MFLOP + 512·width.
 */
function mlpTrunk(input: T, width: number, seeds: SeedCounter): T {
  let x = tf.layers.flatten({ name: 'flatten' }).apply(input) as T;
  x = tf.layers.dense({ units: 256, activation: 'relu', kernelInitializer: seeds.he(), name: 'hidden1' }).apply(x) as T;
  x = tf.layers.dense({ units: width, useBias: false, kernelInitializer: seeds.he(), name: 'hidden2' }).apply(x) as T;
  x = tf.layers.batchNormalization({ momentum: BN_MOMENTUM, name: 'hidden2_bn' }).apply(x) as T;
  return tf.layers.activation({ activation: 'relu', name: PENULTIMATE_LAYER }).apply(x) as T;
}

/** A built network: the inference model (image → logits) and the training view (image → [penultimate, logits]). */
export interface ZooNetwork {
  /** Input n×h×w×c in [0, 1] → logits n×classes. This is what gets saved. */
  model: tf.LayersModel;
  /** Same layers, two outputs: penultimate features n×width and logits n×classes. */
  trainView: tf.LayersModel;
}

/**
 * Builds one zoo network. The layer named `penultimate` (n×width) is the input of the final
 * Dense layer `classifier`; in the convolutional networks it is the global average pool of the
 * last stage. Dropout on the penultimate layer is applied by the trainer, not as a layer: a
 * seeded tfjs Dropout layer would draw the same mask at every step.
 */
export function buildZooNetwork(opts: ArchitectureOptions): ZooNetwork {
  if (!Number.isInteger(opts.width) || opts.width < 1) throw new RangeError(`width must be a positive integer, got ${opts.width}`);
  const seeds = new SeedCounter(opts.seed);
  const input = tf.input({ shape: opts.inputShape ?? [28, 28, 1], name: 'image' });
  const trunk = opts.architecture === 'resnet' ? resnetTrunk : opts.architecture === 'vgg' ? vggTrunk : mlpTrunk;
  const penultimate = trunk(input, opts.width, seeds);
  const logits = tf.layers.dense({ units: opts.classes, kernelInitializer: seeds.glorot(), name: CLASSIFIER_LAYER }).apply(penultimate) as T;
  const model = tf.model({ inputs: input, outputs: logits, name: `zoo_${opts.architecture}` });
  const trainView = tf.model({ inputs: input, outputs: [penultimate, logits], name: `zoo_${opts.architecture}_train` });
  return { model, trainView };
}
