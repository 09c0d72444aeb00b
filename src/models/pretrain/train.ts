import type { ImageDataset } from '../../datasets/types.js';
import * as tf from '@tensorflow/tfjs-core';
import { buildZooNetwork, CLASSIFIER_LAYER, type ZooNetwork } from './architectures.js';
import { crossEntropyLoss, createMrlHeads, decovPenalty, mrlLoss, pgdL2Attack, type MrlHead } from './losses.js';
import type { ZooModelSpec } from './zooSpecs.js';
import { SeededRng } from '../../util/random.js';
import { formatDuration } from '../../util/progress.js';

/** Training images in memory: n×h×w×c floats in [0, 1] (NHWC) and int labels 0..classes-1. */
export type TrainingData = Pick<ImageDataset, 'images' | 'labels' | 'n' | 'height' | 'width' | 'channels'>;

/** One epoch's summary (also printed on stderr). */
export interface EpochReport {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  imagesPerSecond: number;
  etaSeconds: number;
  seconds: number;
}

/** Options of {@link trainZooNetwork}. */
export interface TrainOptions {
  /** Called after every epoch; default prints one line to stderr. */
  onEpoch?: (r: EpochReport) => void;
  /** Called every few seconds inside an epoch with images done / total. */
  onBatch?: (done: number, total: number, loss: number) => void;
  /** Stop after this many batches per epoch (tests use 1–2). */
  maxBatchesPerEpoch?: number;
}

/** Gathers rows `idx[from..to)` of the data into a batch tensor and its labels. */
export function gatherBatch(data: TrainingData, idx: Int32Array, from: number, to: number): { x: tf.Tensor4D; y: tf.Tensor1D } {
  const size = data.height * data.width * data.channels;
  const b = to - from;
  const buf = new Float32Array(b * size);
  const lab = new Int32Array(b);
  for (let i = 0; i < b; i++) {
    const src = idx[from + i];
    buf.set(data.images.subarray(src * size, (src + 1) * size), i * size);
    lab[i] = data.labels[src];
  }
  return { x: tf.tensor4d(buf, [b, data.height, data.width, data.channels]), y: tf.tensor1d(lab, 'int32') };
}

function defaultEpochLog(r: EpochReport): void {
  process.stderr.write(
    `epoch ${r.epoch}/${r.epochs} loss ${r.loss.toFixed(4)} acc ${(100 * r.accuracy).toFixed(2)}% ` +
      `${r.imagesPerSecond.toFixed(0)} images/s epoch ${formatDuration(r.seconds)} ETA ${formatDuration(r.etaSeconds)}\n`,
  );
}

/** The trained network and what training measured. */
export interface TrainedNetwork extends ZooNetwork {
  finalTrainLoss: number;
  trainSeconds: number;
  epochs: EpochReport[];
  mrlHeads?: MrlHead[];
}

/**
 * Trains one zoo network with Adam (cosine-decayed learning rate) on the given data, with the
 * spec's loss: cross-entropy, PGD-L2 adversarial training (the model sees only the attacked
 * images, as in Madry et al.), Matryoshka (CE of the full classifier + CE of heads on the
 * nested prefixes), or CE + α·DeCov. Shuffling is seeded by `spec.seed`.
 */
export function trainZooNetwork(spec: ZooModelSpec, data: TrainingData, classes: number, opts: TrainOptions = {}): TrainedNetwork {
  const net = buildZooNetwork({
    architecture: spec.architecture, width: spec.width, classes, seed: spec.seed,
    inputShape: [data.height, data.width, data.channels],
  });
  const loss = spec.loss;
  const classifier = net.model.getLayer(CLASSIFIER_LAYER);
  const heads = loss.kind === 'mrl' ? createMrlHeads(loss.nesting.filter((k) => k < spec.width), classes, spec.seed) : undefined;
  const optimizer = tf.train.adam(spec.learningRate);
  // Explicit list: other models' variables may live in the same process (e.g. `--all`).
  const varList = [
    ...net.trainView.trainableWeights.map((w) => w.read() as tf.Variable),
    ...(heads ?? []).flatMap((hd) => [hd.kernel, hd.bias]),
  ];
  const setLr = (lr: number) => {
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
  };
  const batchesPerEpoch = Math.min(Math.ceil(data.n / spec.batchSize), opts.maxBatchesPerEpoch ?? Infinity);
  const totalSteps = batchesPerEpoch * spec.epochs;
  const onEpoch = opts.onEpoch ?? defaultEpochLog;
  const reports: EpochReport[] = [];
  const logitsOf = (x: tf.Tensor4D) => (net.trainView.apply(x, { training: false }) as tf.Tensor[])[1] as tf.Tensor2D;
  const start = performance.now();
  let step = 0;
  let lastLoss = NaN;
  for (let epoch = 0; epoch < spec.epochs; epoch++) {
    const epochStart = performance.now();
    const order = new SeededRng(spec.seed * 1000 + epoch).permutation(data.n);
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let lastReport = performance.now();
    for (let b = 0; b < batchesPerEpoch; b++) {
      const from = b * spec.batchSize;
      const to = Math.min(data.n, from + spec.batchSize);
      const batch = gatherBatch(data, order, from, to);
      let x = batch.x;
      if (loss.kind === 'pgd-l2') {
        const adv = pgdL2Attack(logitsOf, batch.x, batch.y, { eps: loss.eps, steps: loss.steps });
        x = adv;
      }
      // Cosine decay to 5% of the base rate over all steps.
      setLr(spec.learningRate * (0.05 + 0.95 * 0.5 * (1 + Math.cos((Math.PI * step) / totalSteps))));
      let batchCorrect = 0;
      const lossValue = optimizer.minimize(() => {
        const out = net.trainView.apply(x, { training: true }) as [tf.Tensor2D, tf.Tensor2D];
        const h = out[0];
        // Dropout on the penultimate features, with a fresh seeded mask every step.
        const logits = spec.dropout > 0
          ? (classifier.apply(tf.dropout(h, spec.dropout, undefined, spec.seed * 1_000_003 + step + 1)) as tf.Tensor2D)
          : out[1];
        batchCorrect = tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logits, 1), batch.y), 'int32')).dataSync()[0]);
        if (loss.kind === 'mrl') return mrlLoss(h, heads!, batch.y, logits);
        const ce = crossEntropyLoss(logits, batch.y);
        if (loss.kind === 'decov') return tf.add(ce, tf.mul(loss.alpha, decovPenalty(h))) as tf.Scalar;
        return ce;
      }, true, varList) as tf.Scalar;
      const lv = lossValue.dataSync()[0];
      lossValue.dispose();
      if (x !== batch.x) x.dispose();
      batch.x.dispose();
      batch.y.dispose();
      if (!Number.isFinite(lv)) throw new Error(`${spec.name}: training diverged (loss ${lv}) at epoch ${epoch + 1}, batch ${b + 1}`);
      lossSum += lv * (to - from);
      correct += batchCorrect;
      seen += to - from;
      lastLoss = lv;
      step++;
      if (opts.onBatch && performance.now() - lastReport > 5000) {
        lastReport = performance.now();
        opts.onBatch(seen, Math.min(data.n, batchesPerEpoch * spec.batchSize), lossSum / seen);
      }
    }
    const seconds = (performance.now() - epochStart) / 1000;
    const elapsed = (performance.now() - start) / 1000;
    const report: EpochReport = {
      epoch: epoch + 1, epochs: spec.epochs, loss: lossSum / seen, accuracy: correct / seen,
      imagesPerSecond: seen / seconds, seconds, etaSeconds: (elapsed / (epoch + 1)) * (spec.epochs - epoch - 1),
    };
    reports.push(report);
    onEpoch(report);
  }
  optimizer.dispose();
  return { ...net, finalTrainLoss: lastLoss, trainSeconds: (performance.now() - start) / 1000, epochs: reports, mrlHeads: heads };
}

/** Top-1 accuracy of `logitsOf` on the data, in batches of `batch`. */
export function evaluateAccuracy(logitsOf: (x: tf.Tensor4D) => tf.Tensor2D, data: TrainingData, batch = 500): number {
  let correct = 0;
  const idx = Int32Array.from({ length: data.n }, (_, i) => i);
  for (let from = 0; from < data.n; from += batch) {
    const to = Math.min(data.n, from + batch);
    const { x, y } = gatherBatch(data, idx, from, to);
    correct += tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(logitsOf(x), 1), y), 'int32')).dataSync()[0]);
    x.dispose();
    y.dispose();
  }
  return data.n ? correct / data.n : NaN;
}
