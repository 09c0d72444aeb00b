import { libraryLinalg } from '../linalg/select.js';
import { checkFeatureBlock } from '../types.js';
import { countClasses } from './features.js';
import { evaluateProbe, evaluateProbeOnColumns } from './evaluate.js';
import { PROBE_DEFAULTS, checkL2Setting } from './defaults.js';
import { probeFitContext, selectFeatures } from './probeContext.js';
import { PROBES } from './registry.js';
import type { LabelledFeatures, ProbeSelection, RunProbeOptions } from './runOptions.js';
import type { ProbeResult } from './types.js';

export type { LabelledFeatures, ProbeSelection, RunProbeOptions } from './runOptions.js';

function checkSelection(sel: ProbeSelection, d: number): void {
  if (sel.d !== d) throw new RangeError(`runProbe: selection was made for d=${sel.d}, features have d=${d}`);
  if (sel.indices) {
    if (sel.indices.length !== sel.k) throw new RangeError(`runProbe: selection has ${sel.indices.length} indices but k=${sel.k}`);
  } else if (sel.projection) {
    if (sel.projection.matrix.length !== d * sel.k) throw new RangeError(`runProbe: projection has ${sel.projection.matrix.length} values, expected ${d}×${sel.k}`);
  } else {
    throw new RangeError(`runProbe: selection '${sel.method}' has neither indices nor a projection`);
  }
}

/**
 * Trains one probe on the `selection` of `train`'s features and scores it on `test`: checks the
 * inputs, then looks the kind (`options.probe`, default softmax) up in {@link PROBES} (its fit,
 * defaults and result fields). Ridge with a shared `ridgeGram` needs no pass over the training rows;
 * softmax gathers X_S once as contiguous float32 and runs L-BFGS on it; sgd-paper follows the
 * paper's recipe. `seconds` covers selecting the training features and fitting, not test scoring.
 * @param train n×d training features and labels (e.g. `await readFeatureCache(trainFile)`).
 * @param test m×d test features and labels of the same layer.
 * @param selection which neurons (indices) or projection the probe sees.
 * @example
 * ```ts
 * const r = await runProbe(train, test, selection, { probe: 'softmax' });
 * r.accuracy; r.penalty?.l2; // λ chosen on validation data
 * ```
 */
export async function runProbe(train: LabelledFeatures, test: LabelledFeatures, selection: ProbeSelection, options: RunProbeOptions = {}): Promise<ProbeResult> {
  const opts = options;
  const sel = selection;
  const probe = opts.probe ?? PROBE_DEFAULTS.probe;
  const { features: trainX, labels: trainLabels } = train;
  const { features: testX, labels: testLabels } = test;
  checkFeatureBlock(trainX, 'train features');
  checkFeatureBlock(testX, 'test features');
  if (trainX.d !== testX.d) throw new RangeError(`runProbe: train has d=${trainX.d} features but test has d=${testX.d}`);
  if (trainLabels.length !== trainX.n) throw new RangeError(`runProbe: ${trainLabels.length} train labels for ${trainX.n} rows`);
  if (testLabels.length !== testX.n) throw new RangeError(`runProbe: ${testLabels.length} test labels for ${testX.n} rows`);
  checkSelection(sel, trainX.d);
  const linalg = opts.linalg ?? opts.ridgeGram?.linalg ?? await libraryLinalg();
  const classes = opts.classes ?? opts.ridgeGram?.classes ?? Math.max(countClasses(trainLabels, 'train labels'), countClasses(testLabels, 'test labels'));
  const gram = opts.ridgeGram;
  if (gram && (gram.d !== trainX.d || gram.n !== trainX.n)) {
    throw new RangeError(`runProbe: shared Gram is for ${gram.n}×${gram.d} training features, got ${trainX.n}×${trainX.d}`);
  }

  const spec = Object.prototype.hasOwnProperty.call(PROBES, probe) ? PROBES[probe] : undefined;
  if (!spec) throw new RangeError(`runProbe: unknown probe '${String(probe)}' (expected ${Object.keys(PROBES).join(', ')})`);
  const l2Setting = checkL2Setting(opts.l2 ?? PROBE_DEFAULTS.l2, 'l2');
  const started = performance.now();
  const { model, hyper, penalty } = await spec.fit(probeFitContext(train, sel, opts, linalg, classes, l2Setting));
  const seconds = (performance.now() - started) / 1000;

  const ev = sel.indices
    ? await evaluateProbeOnColumns(model, testX, sel.indices, testLabels, linalg)
    : await evaluateProbe(model, await selectFeatures(testX, sel, linalg), testLabels, linalg);
  const result: ProbeResult = {
    accuracy: ev.accuracy,
    perClassAccuracy: ev.perClassAccuracy,
    k: sel.k,
    fraction: sel.fraction,
    selection: sel.method,
    probe,
    hyper,
    seconds,
  };
  if (sel.indices) result.indices = sel.indices;
  if (sel.seed !== undefined) result.seed = sel.seed;
  if (penalty) result.penalty = penalty;
  if (opts.keepPredictions) result.predictions = ev.predictions;
  return result;
}
