import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import { trainValSplit } from '../datasets/splits.js';
import { SeededRng } from '../util/random.js';
import { countClasses, gatherRows } from './features.js';
import { scoreAccuracy } from './evaluate.js';
import type { LinearModel } from './types.js';

/**
 * The original paper's probe recipe (docs/protocol.md §3) run on cached features. Defaults are the
 * paper's main ResNet50 grid: 100 epochs with ×0.1 decay every 20 (use 50/10 elsewhere).
 */
export interface SgdPaperOptions {
  /** Default 100. */
  epochs?: number;
  /** Learning rate ×0.1 every this many epochs (default epochs/5, i.e. 20 for 100, 10 for 50). */
  stepEvery?: number;
  /** Default 0.1. */
  lr?: number;
  /** Default 0.9. */
  momentum?: number;
  /** 5e-4 for CIFAR10/100 and Places365 (default), 1e-4 for Flowers, Pets, ImageNet. */
  weightDecay?: number;
  /** Default 256 (last batch of an epoch may be smaller, as PyTorch's DataLoader without drop_last). */
  batchSize?: number;
  /** Held-out validation fraction of the training rows (default 0.1, split seed `valSeed` = 0). */
  valFraction?: number;
  valSeed?: number;
  /** Validate every this many epochs (default 5); the best-validation weights are returned. */
  evalEvery?: number;
  /** Seeds the head's initialisation and the per-epoch shuffles (default 0). */
  seed?: number;
  linalg?: Linalg;
  classes?: number;
  /** Start from this head instead of nn.Linear's random initialisation. */
  init?: LinearModel;
  onEpoch?: (epoch: number, lr: number) => void;
}

/** The recipe's defaults, stated once (the paper's main ResNet50 grid; CIFAR weight decay). */
export const SGD_PAPER_DEFAULTS = {
  epochs: 100, lr: 0.1, momentum: 0.9, weightDecay: 5e-4, batchSize: 256, valFraction: 0.1, valSeed: 0, evalEvery: 5, seed: 0,
} as const;

/** Every setting a fit ran with, defaults filled in (what results record). */
export type SgdPaperSettings = { -readonly [K in keyof typeof SGD_PAPER_DEFAULTS]: number } & { stepEvery: number };

export interface SgdPaperFit {
  /** The best-validation checkpoint. */
  model: LinearModel;
  bestEpoch: number;
  bestValAccuracy: number;
  /** Validation accuracy at each evaluated epoch. */
  valHistory: { epoch: number; accuracy: number }[];
  epochs: number;
  stepEvery: number;
  /** The settings the fit ran with (options over {@link SGD_PAPER_DEFAULTS}). */
  settings: SgdPaperSettings;
}

/**
 * Trains `Linear(k, C)` with mini-batch SGD on mean cross-entropy, PyTorch semantics:
 * d = ∇ + wd·θ (bias included, as `SGD(model.parameters())` does), v ← μ·v + d, θ ← θ − lr·v.
 * Initialisation as `nn.Linear`: weights and bias ~ U(−1/√k, 1/√k). Validation rows come from
 * `trainValSplit(n, valFraction, valSeed)`; validation accuracy is measured every `evalEvery`
 * epochs and at the last epoch, and the best one (earliest on ties) is returned.
 * train: n×k float32; trainLabels: n labels in 0..C−1.
 */
export async function fitSgdPaperProbe(train: FeatureBlock, trainLabels: Int32Array, opts: SgdPaperOptions = {}): Promise<SgdPaperFit> {
  checkFeatureBlock(train, 'train features');
  const { n, d: k } = train;
  if (trainLabels.length !== n) throw new RangeError(`sgd-paper: ${trainLabels.length} labels for ${n} training rows`);
  const D = SGD_PAPER_DEFAULTS;
  const epochs = opts.epochs ?? D.epochs;
  const stepEvery = opts.stepEvery ?? Math.max(1, Math.round(epochs / 5));
  const lr0 = opts.lr ?? D.lr;
  const mu = opts.momentum ?? D.momentum;
  const wd = opts.weightDecay ?? D.weightDecay;
  const batchSize = opts.batchSize ?? D.batchSize;
  const evalEvery = opts.evalEvery ?? D.evalEvery;
  const valFraction = opts.valFraction ?? D.valFraction;
  const valSeed = opts.valSeed ?? D.valSeed;
  const seed = opts.seed ?? D.seed;
  const settings: SgdPaperSettings = { epochs, stepEvery, lr: lr0, momentum: mu, weightDecay: wd, batchSize, valFraction, valSeed, evalEvery, seed };
  const linalg = opts.linalg ?? await libraryLinalg();
  const C = opts.classes ?? countClasses(trainLabels, 'train labels');
  for (const [name, v] of [['epochs', epochs], ['stepEvery', stepEvery], ['batchSize', batchSize], ['evalEvery', evalEvery]] as const) {
    if (!(Number.isInteger(v) && v >= 1)) throw new RangeError(`sgd-paper: ${name} must be a positive integer, got ${v}`);
  }
  const split = trainValSplit(n, valFraction, valSeed);
  if (split.train.length === 0 || split.val.length === 0) throw new RangeError(`sgd-paper: ${n} rows are too few for a train/validation split`);
  const val = gatherRows(train, split.val);
  const valLabels = Int32Array.from(split.val, (i) => trainLabels[i]);

  const rng = new SeededRng(seed);
  const bound = 1 / Math.sqrt(k);
  const w = new Float64Array(k * C).map(() => (2 * rng.nextFloat() - 1) * bound);
  const b = new Float64Array(C).map(() => (2 * rng.nextFloat() - 1) * bound);
  if (opts.init) {
    if (opts.init.k !== k || opts.init.classes !== C) throw new RangeError(`sgd-paper: initial model is ${opts.init.k}×${opts.init.classes}, expected ${k}×${C}`);
    w.set(opts.init.weights);
    b.set(opts.init.bias);
  }
  const vw = new Float64Array(k * C);
  const vb = new Float64Array(C);
  const w32 = new Float32Array(k * C);
  const xb = new Float32Array(batchSize * k);
  const rb = new Float32Array(batchSize * C);
  const order = Int32Array.from(split.train);
  const m = order.length;

  let best: LinearModel = { k, classes: C, weights: Float64Array.from(w), bias: Float64Array.from(b) };
  let bestAcc = -1;
  let bestEpoch = 0;
  const valHistory: { epoch: number; accuracy: number }[] = [];

  for (let epoch = 1; epoch <= epochs; epoch++) {
    const lr = lr0 * 0.1 ** Math.floor((epoch - 1) / stepEvery);
    opts.onEpoch?.(epoch, lr);
    for (let i = m - 1; i > 0; i--) {
      const j = rng.below(i + 1);
      const t = order[i]; order[i] = order[j]; order[j] = t;
    }
    for (let start = 0; start < m; start += batchSize) {
      const bs = Math.min(batchSize, m - start);
      for (let r = 0; r < bs; r++) xb.set(train.data.subarray(order[start + r] * k, order[start + r] * k + k), r * k);
      for (let i = 0; i < k * C; i++) w32[i] = w[i];
      const xView = xb.subarray(0, bs * k);
      const logits = await linalg.matmul(xView, w32, bs, k, C);
      const gb = new Float64Array(C);
      for (let r = 0; r < bs; r++) {
        const o = r * C;
        let max = -Infinity;
        for (let c = 0; c < C; c++) max = Math.max(max, logits[o + c] + b[c]);
        let sum = 0;
        for (let c = 0; c < C; c++) sum += Math.exp(logits[o + c] + b[c] - max);
        const y = trainLabels[order[start + r]];
        for (let c = 0; c < C; c++) {
          const g = (Math.exp(logits[o + c] + b[c] - max) / sum - (c === y ? 1 : 0)) / bs;
          rb[o + c] = g;
          gb[c] += g;
        }
      }
      const gw = await linalg.crossProduct(xView, rb.subarray(0, bs * C), bs, k, C);
      for (let i = 0; i < k * C; i++) {
        vw[i] = mu * vw[i] + gw[i] + wd * w[i];
        w[i] -= lr * vw[i];
      }
      for (let c = 0; c < C; c++) {
        vb[c] = mu * vb[c] + gb[c] + wd * b[c];
        b[c] -= lr * vb[c];
      }
    }
    if (epoch % evalEvery === 0 || epoch === epochs) {
      for (let i = 0; i < k * C; i++) w32[i] = w[i];
      const scores = await linalg.matmul(val.data, w32, val.n, k, C);
      const acc = scoreAccuracy(scores, b, valLabels, C).accuracy;
      valHistory.push({ epoch, accuracy: acc });
      if (acc > bestAcc) {
        bestAcc = acc;
        bestEpoch = epoch;
        best = { k, classes: C, weights: Float64Array.from(w), bias: Float64Array.from(b) };
      }
    }
  }
  return { model: best, bestEpoch, bestValAccuracy: bestAcc, valHistory, epochs, stepEvery, settings };
}
