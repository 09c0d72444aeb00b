import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { readFeatureCache } from '../../cache/index.js';
import { checkCompatiblePair } from '../../cache/compat.js';
import { requireFile } from '../../util/fsErrors.js';
import { selectNeurons } from '../../select/index.js';
import { defaultLinalg } from '../../linalg/index.js';
import { runProbe } from '../../probe/run.js';
import { probeKindsHelp } from '../optionFlags.js';
import { PROBE_KINDS, type ProbeKind } from '../../probe/types.js';
import { PROBE_DEFAULTS, type L2Setting } from '../../probe/defaults.js';
import { parseL2Option } from '../l2Option.js';
import { SGD_PAPER_DEFAULTS } from '../../probe/sgdPaper.js';
import type { ProbeResult } from '../../probe/types.js';

const SELECTIONS = ['random', 'first', 'pca', 'pca-bottom', 'pca-lowrank', 'pca-lowrank-bottom', 'randproj', 'randproj-gaussian'] as const;

export const command = defineCommand({
  name: 'probe',
  summary: 'train one linear probe on a subset of neurons',
  usage: '--train FILE --test FILE (--fraction F | --k K) [--seed S] [--select METHOD] [--probe KIND] [--l2 auto|X|LIST] [--standardize] [--json]',
  description: [
    'Reads two feature caches (same layer: train and test split), picks k = floor(F·d) neurons (or',
    'projections) from the training features, fits the probe on them and reports test accuracy.',
    'Penalties: softmax minimises mean CE + (λ/2)‖W‖² (= scikit-learn LogisticRegression C = 1/(n·λ));',
    'ridge minimises (1/2n)‖XW+b−Y‖² + (λ/2)‖W‖² (= Ridge alpha = n·λ).',
    `--l2 auto (default): λ is chosen on a validation part of the TRAINING cache (${PROBE_DEFAULTS.validation.fraction * 100}% of the rows, seed`,
    `${PROBE_DEFAULTS.validation.seed}, stratified by class) from λ = s·10^e, s the mean variance of the probe's features, e from`,
    `${PROBE_DEFAULTS.ridgeExponents[0]} down to ${PROBE_DEFAULTS.ridgeExponents[PROBE_DEFAULTS.ridgeExponents.length - 1]} (ridge: every λ from one eigendecomposition) or ${PROBE_DEFAULTS.softmaxExponents[0]} down to ${PROBE_DEFAULTS.softmaxExponents[PROBE_DEFAULTS.softmaxExponents.length - 1]} in half decades (softmax: coarse to fine,`,
    `walked from large to small λ over the decades with warm starts, stopping after ${PROBE_DEFAULTS.softmaxSearch.patience} decade without a better validation`,
    'accuracy, then the half decades beside the best decade; a list given to --l2 is walked point by point,',
    `stopping after ${PROBE_DEFAULTS.softmaxPatience} steps without a better one), by validation accuracy (softmax: averaged with each λ's`,
    'neighbours; ties: the larger λ); the probe is then refit on all training rows. A part under',
    `${PROBE_DEFAULTS.validation.minValRows} rows (e.g. 10-shot) pools all ${Math.round(1 / PROBE_DEFAULTS.validation.fraction)} stratified folds, and ridge then ranks λ by held-out squared error. With fewer than`,
    `${PROBE_DEFAULTS.validation.minRows} training rows or a class with fewer than ${PROBE_DEFAULTS.validation.minPerClass}, no part is held out and λ = s·10^${PROBE_DEFAULTS.fallbackExponent} (a list: its largest λ);`,
    'the output says so. --l2 X fixes λ; --l2 X,Y,Z chooses among those values on the validation part.',
    'Softmax stopping (L-BFGS, whitened coordinates; scale-free): stop when ‖∇‖∞ ≤ gtol·‖∇₀‖∞ (∇₀ the',
    'gradient at the start), or when an iteration lowers the loss by ≤ ftol·|loss|, or when a line search',
    'finds no strong-Wolfe step in 20 trials (the loss is at its float32 evaluation precision), or after --max-iter.',
    'Line-search trials are read off the logits (linear along the search direction): one product X·W_d per',
    'iteration makes them, and one cross product Xᵀ·R gives the gradient at the step taken.',
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
    probe: { type: 'string', choices: PROBE_KINDS, default: PROBE_DEFAULTS.probe, help: `probe kind — ${probeKindsHelp()}` },
    l2: { type: 'string', meta: 'auto|X|LIST', help: 'penalty λ of softmax / ridge: auto (default), a value, or a list to choose from (see above)' },
    standardize: { type: 'boolean', help: 'standardise selected features with training statistics' },
    'max-iter': { type: 'int', min: 1, default: PROBE_DEFAULTS.softmax.maxIterations, help: 'softmax: L-BFGS iteration cap (per fit)' },
    gtol: { type: 'number', min: 0, default: PROBE_DEFAULTS.softmax.gtol, help: 'softmax: stop when ‖∇‖∞ ≤ gtol·‖∇₀‖∞ (whitened coordinates)' },
    ftol: { type: 'number', min: 0, default: PROBE_DEFAULTS.softmax.ftol, help: 'softmax: stop when an iteration lowers the loss by ≤ ftol·|loss|' },
    epochs: { type: 'int', min: 1, default: SGD_PAPER_DEFAULTS.epochs, help: 'sgd-paper: epochs (paper: 100 main grid, 50 otherwise)' },
    'step-every': { type: 'int', min: 1, help: 'sgd-paper: ×0.1 learning-rate decay period (default epochs/5)' },
    'weight-decay': { type: 'number', min: 0, default: SGD_PAPER_DEFAULTS.weightDecay, help: 'sgd-paper: 5e-4 CIFAR/Places, 1e-4 Flowers/Pets/ImageNet' },
    'sgd-seed': { type: 'int', default: SGD_PAPER_DEFAULTS.seed, help: 'sgd-paper: seed of initialisation and shuffling' },
    'allow-mismatch': { type: 'boolean', help: 'probe across caches of different models/layers/datasets (recorded in the result)' },
  },
  async run(args, io) {
    const o = args.options;
    let l2: L2Setting;
    try { l2 = parseL2Option(o.l2); } catch (err) { throw new UsageError((err as Error).message); }
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
    const result = await runProbe(train, test, selection, {
      probe: o.probe as ProbeKind, l2, standardize: Boolean(o.standardize), linalg,
      classes: train.meta.classNames?.length || undefined,
      softmax: { maxIterations: o['max-iter'], gtol: o.gtol, ftol: o.ftol },
      sgd: { epochs: o.epochs, stepEvery: o['step-every'], weightDecay: o['weight-decay'], seed: o['sgd-seed'] },
    });
    io.print(`accuracy ${result.accuracy.toFixed(4)}  (${result.probe} on k=${result.k} of d=${d}, ${result.selection}${result.seed !== undefined ? ` seed ${result.seed}` : ''}, fit ${result.seconds.toFixed(2)} s, linalg ${linalg.name})`);
    const per = Array.from(result.perClassAccuracy, (v) => (Number.isNaN(v) ? null : v));
    if (result.penalty) io.print(penaltyLine(result));
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
      l2: result.penalty?.l2 ?? null,
      l2Mode: result.penalty?.mode ?? null,
      validation: result.penalty?.validation ?? null,
      validationCurve: result.penalty ? { l2: result.penalty.curve.l2, accuracy: result.penalty.curve.accuracy } : null,
      hyper: result.hyper,
      seconds: result.seconds,
      train: o.train,
      test: o.test,
      linalg: linalg.name,
      allowedMismatch,
    };
  },
});

/** One line saying how λ was set: the value, and the validation part or the fallback. */
function penaltyLine(r: ProbeResult): string {
  const p = r.penalty!;
  const v = p.validation;
  if (p.mode === 'fixed') return `λ ${p.l2.toPrecision(4)} (fixed)`;
  if (!v.used) return `λ ${p.l2.toPrecision(4)} (${p.mode}; no validation part: ${v.reason}; fallback ${v.rule})`;
  const best = p.curve.l2.indexOf(p.l2);
  const where = v.folds ? `pooled over ${v.folds} stratified folds of the ${v.fitRows + v.valRows} training rows` : `on ${v.valRows} held-out training rows`;
  return `λ ${p.l2.toPrecision(4)} (${p.mode}: validation accuracy ${p.curve.accuracy[best].toFixed(4)} ${where}, ${p.curve.l2.length} λ tried; refit on all ${v.fitRows + v.valRows})`;
}
