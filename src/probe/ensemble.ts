import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { randomNeuronIndices } from '../select/randomNeurons.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import { evaluateProbe } from './evaluate.js';
import { countClasses, gatherColumns } from './features.js';
import { fitRidgeProbe } from './ridge.js';
import { fitSoftmaxProbe } from './softmax.js';
import type { LinearModel, ProbeEvaluation } from './types.js';

/** Options of {@link disjointSubsetEnsemble}. */
export interface DisjointEnsembleOptions {
  /** Training features, n×d row-major. */
  train: FeatureBlock;
  trainLabels: Int32Array;
  /** Test features of the same layer, m×d row-major. */
  test: FeatureBlock;
  testLabels: Int32Array;
  /** Number of heads h ≥ 1; each gets k = floor(d / h) neurons unless `k` is given (h·k ≤ d). */
  heads: number;
  /** Neurons per head (default floor(d / heads)). */
  k?: number;
  /** Seed of the one random permutation the disjoint subsets are cut from. */
  seed: number;
  /** Head kind (default `ridge`). */
  probe?: 'ridge' | 'softmax';
  /** L2 penalty λ of each head (the probe's default when absent). */
  l2?: number;
  linalg?: Linalg;
}

/** One head of the ensemble and its own test accuracy. */
export interface EnsembleHead {
  indices: Int32Array;
  k: number;
  accuracy: number;
}

/** Result of {@link disjointSubsetEnsemble}. */
export interface DisjointEnsembleResult extends ProbeEvaluation {
  heads: EnsembleHead[];
  /** Mean of the heads' own accuracies, to compare with the ensemble's. */
  meanHeadAccuracy: number;
  /** Neurons used in all: heads × k. */
  neurons: number;
  probe: 'ridge' | 'softmax';
  seconds: number;
}

/**
 * An ensemble of linear heads on disjoint random neuron subsets: the first h·k entries of one
 * seeded permutation of the d neurons are cut into h blocks of k, a head is fitted on each, and the
 * ensemble predicts the arg-max of the heads' averaged scores (logits for softmax). Averaging linear
 * scores is itself a linear head on the union of the blocks with block-diagonal weights, so it is
 * scored in one product. If redundancy is diffused, heads on disjoint parts of the layer each do
 * nearly as well as the whole, and their average does better than any one of them.
 * Accuracies are fractions in [0, 1]; per-class accuracy is NaN for a class absent from the test set.
 * @example
 * ```ts
 * const r = await disjointSubsetEnsemble({ train: train.features, trainLabels: train.labels, test: test.features, testLabels: test.labels, heads: 4, k: 128, seed: 1 });
 * ```
 */
export async function disjointSubsetEnsemble(opts: DisjointEnsembleOptions): Promise<DisjointEnsembleResult> {
  const started = performance.now();
  checkFeatureBlock(opts.train, 'train features');
  checkFeatureBlock(opts.test, 'test features');
  const { d } = opts.train;
  if (opts.test.d !== d) throw new RangeError(`disjointSubsetEnsemble: train has d=${d} features but test has d=${opts.test.d}`);
  const h = opts.heads;
  if (!Number.isInteger(h) || h < 1 || h > d) throw new RangeError(`disjointSubsetEnsemble: heads must be an integer in [1, ${d}], got ${h}`);
  const k = opts.k ?? Math.floor(d / h);
  if (!Number.isInteger(k) || k < 1 || h * k > d) {
    throw new RangeError(`disjointSubsetEnsemble: ${h} disjoint heads of k=${k} neurons need h·k ≤ d=${d}`);
  }
  const linalg = opts.linalg ?? await libraryLinalg();
  const probe = opts.probe ?? 'ridge';
  const classes = Math.max(countClasses(opts.trainLabels, 'train labels'), countClasses(opts.testLabels, 'test labels'));
  const order = randomNeuronIndices(d, h * k, opts.seed);

  const heads: EnsembleHead[] = [];
  const models: LinearModel[] = [];
  for (let j = 0; j < h; j++) {
    const indices = order.slice(j * k, (j + 1) * k);
    const x = gatherColumns(opts.train, indices);
    const model = probe === 'ridge'
      ? await fitRidgeProbe(x, opts.trainLabels, { l2: opts.l2, linalg, classes })
      : (await fitSoftmaxProbe(x, opts.trainLabels, { l2: opts.l2, linalg, classes })).model;
    const own = await evaluateProbe(model, gatherColumns(opts.test, indices), opts.testLabels, linalg);
    heads.push({ indices, k, accuracy: own.accuracy });
    models.push(model);
  }

  // The averaged heads as one linear model over the concatenated blocks (in `order`).
  const weights = new Float64Array(h * k * classes);
  const bias = new Float64Array(classes);
  models.forEach((m, j) => {
    for (let i = 0; i < m.weights.length; i++) weights[j * k * classes + i] = m.weights[i] / h;
    for (let c = 0; c < classes; c++) bias[c] += m.bias[c] / h;
  });
  const union: LinearModel = { k: h * k, classes, weights, bias };
  const evaluation = await evaluateProbe(union, gatherColumns(opts.test, order), opts.testLabels, linalg);
  return {
    ...evaluation,
    heads,
    meanHeadAccuracy: heads.reduce((s, x) => s + x.accuracy, 0) / h,
    neurons: h * k,
    probe,
    seconds: (performance.now() - started) / 1000,
  };
}
