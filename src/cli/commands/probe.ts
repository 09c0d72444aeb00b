import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { readFeatureCache } from '../../cache/index.js';
import { checkCompatiblePair } from '../../cache/compat.js';
import { requireFile } from '../../util/fsErrors.js';
import { selectNeurons } from '../../select/index.js';
import { defaultLinalg } from '../../linalg/index.js';
import { runProbe } from '../../probe/run.js';
import { PROBE_KINDS, type ProbeKind } from '../../probe/types.js';
import { DEFAULT_RIDGE_L2 } from '../../probe/ridge.js';
import { DEFAULT_SOFTMAX_L2 } from '../../probe/softmax.js';

const SELECTIONS = ['random', 'first', 'pca', 'pca-bottom', 'randproj', 'randproj-gaussian'] as const;

export const command = defineCommand({
  name: 'probe',
  summary: 'train one linear probe on a subset of neurons',
  usage: '--train FILE --test FILE (--fraction F | --k K) [--seed S] [--select METHOD] [--probe KIND] [--l2 X] [--standardize] [--json]',
  description: [
    'Reads two feature caches (same layer: train and test split), picks k = floor(F·d) neurons (or',
    'projections) from the training features, fits the probe on them and reports test accuracy.',
    `Penalties: softmax minimises mean CE + (λ/2)‖W‖² (= scikit-learn LogisticRegression C = 1/(n·λ); default λ = ${DEFAULT_SOFTMAX_L2});`,
    `ridge minimises (1/2n)‖XW+b−Y‖² + (λ/2)‖W‖² (= Ridge alpha = n·λ; default λ = ${DEFAULT_RIDGE_L2}).`,
    'sgd-paper is the paper\'s recipe (SGD lr 0.1, momentum 0.9, step decay, batch 256, best-validation checkpoint).',
  ].join('\n'),
  options: {
    train: { type: 'string', required: true, meta: 'FILE', help: 'training feature cache (.arrow)' },
    test: { type: 'string', required: true, meta: 'FILE', help: 'test feature cache of the same layer' },
    fraction: { type: 'number', above: 0, max: 1, meta: 'F', help: 'fraction of neurons, k = floor(F·d) (at least 1)' },
    k: { type: 'int', min: 1, meta: 'K', help: 'number of neurons (instead of --fraction)' },
    seed: { type: 'int', default: 1, meta: 'S', help: 'selection seed (paper: 1..5)' },
    select: { type: 'string', choices: SELECTIONS, default: 'random', help: 'how neurons are chosen' },
    rng: { type: 'string', choices: ['ours', 'torch'], default: 'ours', help: 'random generator for --select random (torch = torch.randperm indices)' },
    probe: { type: 'string', choices: PROBE_KINDS, default: 'softmax', help: 'probe kind' },
    l2: { type: 'number', min: 0, meta: 'X', help: 'penalty λ of softmax / ridge (see above)' },
    standardize: { type: 'boolean', help: 'standardise selected features with training statistics' },
    'max-iter': { type: 'int', min: 1, default: 500, help: 'softmax: L-BFGS iteration cap' },
    gtol: { type: 'number', min: 0, default: 1e-5, help: 'softmax: stop when ‖∇‖∞ ≤ gtol·max(1,|loss|) (whitened coordinates)' },
    epochs: { type: 'int', min: 1, default: 100, help: 'sgd-paper: epochs (paper: 100 main grid, 50 otherwise)' },
    'step-every': { type: 'int', min: 1, help: 'sgd-paper: ×0.1 learning-rate decay period (default epochs/5)' },
    'weight-decay': { type: 'number', min: 0, default: 5e-4, help: 'sgd-paper: 5e-4 CIFAR/Places, 1e-4 Flowers/Pets/ImageNet' },
    'sgd-seed': { type: 'int', default: 0, help: 'sgd-paper: seed of initialisation and shuffling' },
    'allow-mismatch': { type: 'boolean', help: 'probe across caches of different models/layers/datasets (recorded in the result)' },
  },
  async run(args, io) {
    const o = args.options;
    if ((o.fraction === undefined) === (o.k === undefined)) throw new UsageError('give exactly one of --fraction F or --k K');
    requireFile(o.train, 'train');
    requireFile(o.test, 'test');
    const [train, test] = await Promise.all([readFeatureCache(o.train), readFeatureCache(o.test)]);
    const allowedMismatch = checkCompatiblePair(o.train, train.meta, o.test, test.meta, o['allow-mismatch']);
    const d = train.features.d;
    if (o.k !== undefined && o.k > d) throw new UsageError(`--k ${o.k} exceeds the ${d} neurons of ${o.train}`);
    // Shared per process (cached by src/linalg), so not disposed here.
    const linalg = await defaultLinalg();
    const selection = await selectNeurons({
      d, fraction: o.fraction, k: o.k, seed: o.seed, method: o.select, rng: o.rng, train: train.features,
      linalg,
    });
    const result = await runProbe({
      train: train.features, trainLabels: train.labels, test: test.features, testLabels: test.labels,
      selection, probe: o.probe as ProbeKind, l2: o.l2, standardize: Boolean(o.standardize), linalg,
      classes: train.meta.classNames?.length || undefined,
      softmax: { maxIterations: o['max-iter'], gtol: o.gtol },
      sgd: { epochs: o.epochs, stepEvery: o['step-every'], weightDecay: o['weight-decay'], seed: o['sgd-seed'] },
    });
    io.print(`accuracy ${result.accuracy.toFixed(4)}  (${result.probe} on k=${result.k} of d=${d}, ${result.selection}${result.seed !== undefined ? ` seed ${result.seed}` : ''}, fit ${result.seconds.toFixed(2)} s, linalg ${linalg.name})`);
    const per = Array.from(result.perClassAccuracy, (v) => (Number.isNaN(v) ? null : v));
    io.print(`per-class accuracy: ${per.map((v) => (v === null ? '–' : v.toFixed(3))).join(' ')}`);
    return {
      accuracy: result.accuracy,
      perClassAccuracy: per,
      indices: result.indices ? Array.from(result.indices) : null,
      k: result.k,
      d,
      fraction: result.fraction,
      seed: result.seed ?? null,
      selection: result.selection,
      rng: o.rng,
      probe: result.probe,
      hyper: result.hyper,
      seconds: result.seconds,
      train: o.train,
      test: o.test,
      linalg: linalg.name,
      allowedMismatch,
    };
  },
});
