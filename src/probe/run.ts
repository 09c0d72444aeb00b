import type { Linalg } from '../linalg/types.js';
import { referenceLinalg } from '../linalg/reference.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import { applyStandardizer, countClasses, fitStandardizer, gatherColumns, gatherRows, gatherRowsColumns } from './features.js';
import { evaluateProbe } from './evaluate.js';
import { centredMoments, projectedMoments, subsetMoments, type CentredMoments } from './gram.js';
import { RidgeGram, fitRidgeFromMomentsBlocked } from './ridge.js';
import { fitSoftmaxProbe, type SoftmaxOptions } from './softmax.js';
import { PROBE_DEFAULTS, checkL2Setting, relativeL2Grid, type L2Setting } from './defaults.js';
import { complementMoments, complementRows, meanVariance, planHoldout, type HoldoutPlan } from './validation.js';
import { bestOnCurve, chooseOnCurve, ridgeValidationCurve, ridgeValidationCurves, softmaxValidationWalk, type PenaltyChoice, type RidgeCurves, type ValidationPart } from './penalty.js';
import { fitRidgeDual, ridgeFoldCurvesDual, ridgeValidationCurveDual } from './ridgeDual.js';
import { fitSgdPaperProbe, type SgdPaperOptions } from './sgdPaper.js';
import type { LinearModel, ProbeKind, ProbeResult } from './types.js';

/**
 * The part of src/select's `Selection` a probe needs: either neuron `indices` (pick order) or a
 * d×k float32 `projection` (optionally applied to x − mean, as `centre: true` selections do).
 */
export interface ProbeSelection {
  method: string;
  k: number;
  d: number;
  fraction: number;
  seed?: number;
  rng?: string;
  indices?: Int32Array;
  projection?: { matrix: Float32Array; mean?: Float32Array };
}

export interface RunProbeOptions {
  /** n×d training features and their labels. */
  train: FeatureBlock;
  trainLabels: Int32Array;
  /** m×d test features and their labels. */
  test: FeatureBlock;
  testLabels: Int32Array;
  selection: ProbeSelection;
  probe: ProbeKind;
  /**
   * Penalty of ridge / softmax (their docs give λ's scale); ignored by sgd-paper (see weightDecay).
   * `'auto'` (default, {@link PROBE_DEFAULTS}): chosen on a held-out 10% of the training rows from
   * a grid relative to the features' variance, then refit on all training rows; a number fixes λ;
   * a list is the grid to choose from. The choice and the validation curve are in `result.penalty`.
   */
  l2?: L2Setting;
  /** Standardise the selected features with training statistics. */
  standardize?: boolean;
  linalg?: Linalg;
  /** Default: max label over train and test + 1. */
  classes?: number;
  /**
   * Shared moments of the full training layer: ridge then never touches the rows, softmax reuses
   * them to precondition (and reuses the factor of a larger nested subset: run seeds' subsets largest first).
   */
  ridgeGram?: RidgeGram;
  /** Extra softmax settings (tolerances, iterations, warm start of the final fit). */
  softmax?: Omit<SoftmaxOptions, 'l2' | 'standardize' | 'linalg' | 'classes' | 'moments'>;
  /** sgd-paper settings (epochs, weightDecay, seed, ...). */
  sgd?: Omit<SgdPaperOptions, 'linalg' | 'classes'>;
  /** Keep per-row test predictions in the result. */
  keepPredictions?: boolean;
}

/** X·P (− meanᵀP when the selection centres) for a d×k projection, on linalg.matmul. */
async function project(x: FeatureBlock, sel: ProbeSelection, linalg: Linalg): Promise<FeatureBlock> {
  const k = sel.k;
  const out = await linalg.matmul(x.data, sel.projection!.matrix, x.n, x.d, k);
  if (sel.projection!.mean) {
    const shift = projectionShift(sel);
    for (let i = 0; i < x.n; i++) for (let a = 0; a < k; a++) out[i * k + a] -= shift[a];
  }
  return { data: out, n: x.n, d: k };
}

/** meanᵀ·P (length k) for a centring projection, zeros otherwise. */
function projectionShift(sel: ProbeSelection): Float64Array {
  const { matrix, mean } = sel.projection!;
  const k = sel.k;
  const shift = new Float64Array(k);
  if (mean) for (let j = 0; j < sel.d; j++) for (let a = 0; a < k; a++) shift[a] += mean[j] * matrix[j * k + a];
  return shift;
}

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
 * Trains one probe of kind `probe` on the selected features of `train` and scores it on `test`.
 * Ridge with a shared `ridgeGram` needs no pass over the training rows; softmax gathers X_S once
 * as contiguous float32 and runs L-BFGS on it; sgd-paper follows the paper's recipe.
 * `seconds` covers selecting the training features and fitting, not test scoring.
 */
export async function runProbe(opts: RunProbeOptions): Promise<ProbeResult> {
  const { train, test, trainLabels, testLabels, selection: sel, probe } = opts;
  checkFeatureBlock(train, 'train features');
  checkFeatureBlock(test, 'test features');
  if (train.d !== test.d) throw new RangeError(`runProbe: train has d=${train.d} features but test has d=${test.d}`);
  if (trainLabels.length !== train.n) throw new RangeError(`runProbe: ${trainLabels.length} train labels for ${train.n} rows`);
  if (testLabels.length !== test.n) throw new RangeError(`runProbe: ${testLabels.length} test labels for ${test.n} rows`);
  checkSelection(sel, train.d);
  const linalg = opts.linalg ?? opts.ridgeGram?.linalg ?? referenceLinalg;
  const classes = opts.classes ?? opts.ridgeGram?.classes ?? Math.max(countClasses(trainLabels, 'train labels'), countClasses(testLabels, 'test labels'));
  const standardize = opts.standardize ?? false;
  const gram = opts.ridgeGram;
  if (gram && (gram.d !== train.d || gram.n !== train.n)) {
    throw new RangeError(`runProbe: shared Gram is for ${gram.n}×${gram.d} training features, got ${train.n}×${train.d}`);
  }

  const l2Setting = checkL2Setting(opts.l2 ?? PROBE_DEFAULTS.l2, 'l2');
  const started = performance.now();
  let selectedMemo: FeatureBlock | undefined;
  const selectTrain = async (): Promise<FeatureBlock> => {
    selectedMemo ??= sel.indices ? gatherColumns(train, sel.indices) : await project(train, sel, linalg);
    return selectedMemo;
  };
  /** The moments of the selected features, from moments `m` of all d columns (no data pass). */
  const ofSelection = async (m: CentredMoments): Promise<CentredMoments> => {
    if (sel.indices) return subsetMoments(m, sel.indices);
    const out = await projectedMoments(m, sel.projection!.matrix, sel.k, linalg);
    // Features are (x − mean)·P: shift the projected means the intercept is computed from.
    const shift = projectionShift(sel);
    for (let a = 0; a < sel.k; a++) out.mean[a] -= shift[a];
    return out;
  };
  const allMoments = async (): Promise<CentredMoments> =>
    (gram ? ofSelection(gram.moments) : centredMoments(await selectTrain(), trainLabels, { linalg, classes }));
  /** The validation part restricted to the selected features. */
  const selectedHoldout = async (mAll: CentredMoments): Promise<SelectedHoldout> => {
    const h = gram?.holdout;
    if (h) {
      if (!h.plan.used) return { plan: h.plan };
      const val = sel.indices ? gatherColumns(h.val!, sel.indices) : await project(h.val!, sel, linalg);
      // A projection's fit moments are its full moments minus the few held-out rows' (k²·m work),
      // not a second d×d×k product PᵀG_fitP.
      const fit = sel.indices ? subsetMoments(h.fit!, sel.indices) : complementMoments(mAll, await centredMoments(val, h.valLabels!, { linalg, classes }));
      return { plan: h.plan, fit, val, valLabels: h.valLabels! };
    }
    const plan = planHoldout(trainLabels);
    if (!plan.used) return { plan };
    const val = gatherRows(await selectTrain(), plan.val);
    const valLabels = Int32Array.from(plan.val, (i) => trainLabels[i]);
    const fit = complementMoments(mAll, await centredMoments(val, valLabels, { linalg, classes }));
    return { plan, fit, val, valLabels };
  };

  let model: LinearModel;
  let hyper: Record<string, unknown>;
  let penalty: PenaltyChoice | undefined;
  if (probe === 'ridge') {
    const mAll = await allMoments();
    const scale = meanVariance(mAll, standardize);
    // Fewer (fit) rows than features: the k×k Gram is singular, and its float32-accumulated null
    // space is rounding noise that tiny λ would amplify; the dual works from the rows in float64 with
    // n×n factorisations instead (same heads in exact arithmetic, cheaper too). Curve and refit
    // use the same side, so the chosen λ means the same thing in both.
    let dual = train.n < sel.k;
    if (typeof l2Setting === 'number') {
      penalty = fixedPenalty(l2Setting, scale);
    } else {
      const plan = gram?.holdout?.plan ?? planHoldout(trainLabels);
      const grid = l2Setting === 'auto' ? relativeL2Grid(PROBE_DEFAULTS.ridgeExponents, scale) : [...l2Setting];
      if (!plan.used) {
        penalty = fallbackPenalty(l2Setting, scale, plan.reason);
      } else if (plan.folds) {
        // Small data: every fold held out in turn, accuracies pooled (rows are few, so direct moments are cheap).
        const xs = await selectTrain();
        // Few held-out rows (< minValRows): accuracy moves in steps of one row and is flat over
        // wide λ ranges, so λ is ranked by the pooled held-out squared error (ridge's own loss,
        // continuous; scikit-learn's RidgeClassifierCV default), the accuracy curve kept beside it.
        const largestFit = train.n - Math.min(...plan.folds.map((f) => f.length));
        let pooled: RidgeCurves;
        if (largestFit < sel.k) {
          dual = true;
          pooled = await ridgeFoldCurvesDual(xs, trainLabels, plan.folds, grid, { classes, standardize, linalg });
        } else {
          pooled = { accuracy: grid.map(() => 0), squaredError: grid.map(() => 0) };
          for (const fold of plan.folds) {
            const val = gatherRows(xs, fold);
            const valLabels = Int32Array.from(fold, (i) => trainLabels[i]);
            const fit = complementMoments(mAll, await centredMoments(val, valLabels, { linalg, classes }));
            const curves = await ridgeValidationCurves(fit, val, valLabels, grid, { standardize, linalg });
            for (let t = 0; t < grid.length; t++) {
              pooled.accuracy[t] += curves.accuracy[t] * fold.length / train.n;
              pooled.squaredError[t] += curves.squaredError[t] * fold.length / train.n;
            }
          }
        }
        const { accuracy, squaredError } = pooled;
        penalty = chosenPenalty(l2Setting, scale, plan, grid, accuracy, bestOnCurve(squaredError.map((e) => -e)));
        penalty.curve.squaredError = squaredError;
        penalty.criterion = 'squared-error';
      } else if (plan.fit.length < sel.k) {
        dual = true;
        const xs = await selectTrain();
        const labelsOf = (rows: Int32Array) => Int32Array.from(rows, (i) => trainLabels[i]);
        const { accuracy } = await ridgeValidationCurveDual(gatherRows(xs, plan.fit), labelsOf(plan.fit), gatherRows(xs, plan.val), labelsOf(plan.val), grid, { classes, standardize, linalg });
        penalty = chosenPenalty(l2Setting, scale, plan, grid, accuracy, chooseOnCurve(accuracy));
      } else {
        const h = await selectedHoldout(mAll);
        const accuracy = await ridgeValidationCurve(h.fit!, h.val!, h.valLabels!, grid, { standardize, linalg });
        penalty = chosenPenalty(l2Setting, scale, plan, grid, accuracy, chooseOnCurve(accuracy));
      }
    }
    const dualModel = dual ? await fitRidgeDual(await selectTrain(), trainLabels, { classes, l2: penalty.l2, standardize, linalg }) : undefined;
    model = dualModel ?? await fitRidgeFromMomentsBlocked(mAll, { l2: penalty.l2, standardize, linalg });
    hyper = { ...penaltyHyper(penalty), standardize, objective: '(1/2n)·‖XW+b−Y‖² + (λ/2)·‖W‖²' };
  } else if (probe === 'softmax') {
    const so = { ...PROBE_DEFAULTS.softmax, ...opts.softmax };
    const mAll = await allMoments();
    const scale = meanVariance(mAll, standardize);
    let xs: FeatureBlock;
    let labels = trainLabels;
    let init = opts.softmax?.init;
    let walkIterations = 0;
    if (typeof l2Setting === 'number') {
      penalty = fixedPenalty(l2Setting, scale);
      xs = await selectTrain();
    } else {
      const plan = gram?.holdout?.plan ?? planHoldout(trainLabels);
      const grid = l2Setting === 'auto' ? relativeL2Grid(PROBE_DEFAULTS.softmaxExponents, scale) : [...l2Setting];
      const { init: _init, ...rest } = so;
      const walkOpts = { ...rest, ...PROBE_DEFAULTS.softmaxWalk };
      if (!plan.used) {
        penalty = fallbackPenalty(l2Setting, scale, plan.reason);
        xs = await selectTrain();
      } else if (plan.folds) {
        xs = await selectTrain();
        const parts: ValidationPart[] = [];
        for (const fold of plan.folds) {
          const fitRows = complementRows(fold, train.n);
          const fit = gatherRows(xs, fitRows);
          const fitLabels = Int32Array.from(fitRows, (i) => trainLabels[i]);
          parts.push({ fit, fitLabels, val: gatherRows(xs, fold), valLabels: Int32Array.from(fold, (i) => trainLabels[i]), moments: await centredMoments(fit, fitLabels, { linalg, classes }) });
        }
        const walk = await softmaxValidationWalk(parts, grid, { standardize, linalg, classes, softmax: walkOpts });
        walkIterations = walk.iterations;
        penalty = chosenPenalty(l2Setting, scale, plan, walk.l2, walk.accuracy, walk.best);
        init = walk.model;
      } else {
        // One gather with the fit rows first and the held-out rows last: the fit part and the
        // held-out part are views of the block the final probe is refit on (no extra copy).
        const nf = plan.fit.length;
        const order = new Int32Array(train.n);
        order.set(plan.fit, 0);
        order.set(plan.val, nf);
        labels = Int32Array.from(order, (i) => trainLabels[i]);
        if (sel.indices) {
          xs = gatherRowsColumns(train, order, sel.indices);
        } else {
          xs = gatherRows(await selectTrain(), order);
          selectedMemo = undefined;
        }
        const k = sel.k;
        const xFit: FeatureBlock = { data: xs.data.subarray(0, nf * k), n: nf, d: k };
        const xVal: FeatureBlock = { data: xs.data.subarray(nf * k), n: train.n - nf, d: k };
        const fitLabels = labels.subarray(0, nf);
        const valLabels = labels.subarray(nf);
        const fitMoments = gram?.holdout?.fit ? await ofSelection(gram.holdout.fit) : await centredMoments(xFit, fitLabels, { linalg, classes });
        const walk = await softmaxValidationWalk([{ fit: xFit, fitLabels, val: xVal, valLabels, moments: fitMoments }], grid, { standardize, linalg, classes, softmax: walkOpts });
        walkIterations = walk.iterations;
        penalty = chosenPenalty(l2Setting, scale, plan, walk.l2, walk.accuracy, walk.best);
        init = walk.model;
      }
    }
    const l2 = penalty.l2;
    const whitening = gram && sel.indices ? gram.whiteningFor(sel.indices, l2, standardize) : undefined;
    const fit = await fitSoftmaxProbe(xs, labels, { ...so, init, l2, standardize, linalg, classes, moments: mAll, whitening });
    model = fit.model;
    hyper = {
      ...penaltyHyper(penalty), standardize, sklearnC: 1 / (train.n * l2), gtol: so.gtol, ftol: so.ftol,
      maxIterations: so.maxIterations, iterations: fit.iterations, evaluations: fit.evaluations, validationIterations: walkIterations,
      stop: fit.stop, loss: fit.loss, gradInf: fit.gradInf,
    };
  } else if (probe === 'sgd-paper') {
    let xs = await selectTrain();
    const stats = standardize ? fitStandardizer(xs) : undefined;
    if (stats) xs = applyStandardizer(xs, stats);
    const fit = await fitSgdPaperProbe(xs, trainLabels, { ...opts.sgd, linalg, classes });
    model = fit.model;
    if (stats) model = rawUnits(model, stats.mean, stats.invStd);
    const { epochs, stepEvery, lr, momentum, weightDecay, batchSize, valFraction, valSeed, evalEvery, seed } = fit.settings;
    hyper = { standardize, epochs, stepEvery, lr, momentum, weightDecay, batchSize, valFraction, valSeed, evalEvery, seed, bestEpoch: fit.bestEpoch, bestValAccuracy: fit.bestValAccuracy };
  } else {
    throw new RangeError(`runProbe: unknown probe '${String(probe)}' (expected softmax, sgd-paper or ridge)`);
  }
  const seconds = (performance.now() - started) / 1000;

  const testSelected = sel.indices ? gatherColumns(test, sel.indices) : await project(test, sel, linalg);
  const ev = await evaluateProbe(model, testSelected, testLabels, linalg);
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

/** The validation part restricted to a probe's features. */
interface SelectedHoldout {
  plan: HoldoutPlan;
  fit?: CentredMoments;
  val?: FeatureBlock;
  valLabels?: Int32Array;
}

function fixedPenalty(l2: number, scale: number): PenaltyChoice {
  return { l2, mode: 'fixed', validation: { used: false, reason: 'λ fixed by the caller' }, curve: { l2: [], accuracy: [] }, scale };
}

/** The documented fallback when no validation part can be held out (see PROBE_DEFAULTS). */
function fallbackPenalty(setting: 'auto' | readonly number[], scale: number, reason: string): PenaltyChoice {
  const auto = setting === 'auto';
  const l2 = auto ? scale * 10 ** PROBE_DEFAULTS.fallbackExponent : Math.max(...setting);
  const rule = auto ? `λ = s·10^${PROBE_DEFAULTS.fallbackExponent} (s = mean feature variance)` : 'the largest λ of the grid';
  return { l2, mode: auto ? 'auto' : 'grid', validation: { used: false, reason, rule }, curve: { l2: [], accuracy: [] }, scale };
}

function chosenPenalty(setting: 'auto' | readonly number[], scale: number, plan: HoldoutPlan & { used: true }, l2: number[], accuracy: number[], best: number): PenaltyChoice {
  return {
    l2: l2[best], mode: setting === 'auto' ? 'auto' : 'grid',
    validation: plan.folds
      ? { used: true, fitRows: plan.fit.length, valRows: plan.val.length, stratified: plan.stratified, fraction: plan.fraction, seed: plan.seed, folds: plan.folds.length }
      : { used: true, fitRows: plan.fit.length, valRows: plan.val.length, stratified: plan.stratified, fraction: plan.fraction, seed: plan.seed },
    curve: { l2, accuracy }, scale,
  };
}

function penaltyHyper(p: PenaltyChoice): Record<string, unknown> {
  return {
    l2: p.l2, l2Mode: p.mode, validation: p.validation, validationL2: p.curve.l2, validationAccuracy: p.curve.accuracy, l2Scale: p.scale,
    ...(p.criterion ? { validationCriterion: p.criterion } : {}), ...(p.curve.squaredError ? { validationSquaredError: p.curve.squaredError } : {}),
  };
}

/** Maps a head trained on (x − mean)·invStd back to raw features. */
function rawUnits(model: LinearModel, mean: Float64Array, invStd: Float64Array): LinearModel {
  const { k, classes: C } = model;
  const weights = new Float64Array(k * C);
  const bias = Float64Array.from(model.bias);
  for (let i = 0; i < k; i++) {
    for (let c = 0; c < C; c++) {
      const w = model.weights[i * C + c] * invStd[i];
      weights[i * C + c] = w;
      bias[c] -= mean[i] * w;
    }
  }
  return { k, classes: C, weights, bias };
}
