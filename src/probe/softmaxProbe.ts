import { centredMoments } from './gram.js';
import { gatherRows, gatherRowsColumns, isIdentityColumns } from './features.js';
import { fitSoftmaxProbe } from './softmax.js';
import { PROBE_DEFAULTS, relativeL2Grid } from './defaults.js';
import { complementMoments, complementRows, meanVariance, planHoldout } from './validation.js';
import { softmaxValidationWalk, type PenaltyChoice, type ValidationPart } from './penalty.js';
import { chosenPenalty, fallbackPenalty, fixedPenalty, penaltyHyper } from './penaltyChoice.js';
import type { FeatureBlock } from '../types.js';
import type { ProbeFitContext } from './probeContext.js';
import type { ProbeFit } from './registry.js';

/**
 * A neuron subset of at least this share of the layer's d neurons is fitted in place when a shared
 * Gram supplies its moments (SoftmaxOptions.columns): its gathered copy would be most of the n×d
 * block (0.9·d at paper scale: 0.31 GiB beside the 0.34 GiB block), while reading all d columns
 * instead of k costs at most d/k − 1 ≤ 1/3 more per evaluation.
 */
export const SOFTMAX_IN_PLACE_MIN_SHARE = 0.75;

/**
 * The softmax probe of {@link runProbe}: multinomial logistic regression by whitened L-BFGS; λ chosen
 * on the validation part by a warm-started search from large to small λ (coarse to fine for the
 * default grid, PROBE_DEFAULTS.softmaxSearch), then refit on all training rows.
 */
export async function fitSoftmaxKind(ctx: ProbeFitContext): Promise<ProbeFit> {
  const { train, trainLabels, selection: sel, linalg, classes, standardize, ridgeGram: gram, l2: l2Setting, options: opts, selectTrain, ofSelection, allMoments } = ctx;
  let penalty: PenaltyChoice;
  const so = { ...PROBE_DEFAULTS.softmax, ...opts.softmax };
  const mAll = await allMoments();
  const scale = meanVariance(mAll, standardize);
  let xs: FeatureBlock;
  let labels = trainLabels;
  let init = opts.softmax?.init;
  let walkIterations = 0;
  const identity = sel.indices !== undefined && isIdentityColumns(sel.indices, train.d);
  // A wide subset read in place; the shared Gram also vouches that every value of the block is
  // finite (centredMoments refuses NaN and ±Infinity), which the scattered products rely on.
  let columns = sel.indices && !identity && gram && sel.k >= SOFTMAX_IN_PLACE_MIN_SHARE * train.d ? sel.indices : undefined;
  if (typeof l2Setting === 'number') {
    penalty = fixedPenalty(l2Setting, scale);
    xs = columns ? train : await selectTrain();
  } else {
    const plan = gram?.holdout?.plan ?? planHoldout(trainLabels);
    const grid = l2Setting === 'auto' ? relativeL2Grid(PROBE_DEFAULTS.softmaxExponents, scale) : [...l2Setting];
    const { init: _init, ...rest } = so;
    const walkOpts = { ...rest, ...PROBE_DEFAULTS.softmaxWalk };
    if (!plan.used) {
      penalty = fallbackPenalty(l2Setting, scale, plan.reason);
      xs = columns ? train : await selectTrain();
    } else {
      const parts: ValidationPart[] = [];
      if (plan.folds) {
        // Small splits gather their few rows, also for a wide subset.
        columns = undefined;
        xs = await selectTrain();
        for (const fold of plan.folds) {
          const fitRows = complementRows(fold, train.n);
          const fit = gatherRows(xs, fitRows);
          const fitLabels = Int32Array.from(fitRows, (i) => trainLabels[i]);
          parts.push({ fit, fitLabels, val: gatherRows(xs, fold), valLabels: Int32Array.from(fold, (i) => trainLabels[i]), moments: await centredMoments(fit, fitLabels, { linalg, classes }) });
        }
      } else if (identity || columns) {
        // The full layer or a wide subset: the walk fits on the training block itself with the
        // held-out rows masked out (no copy of the n×d block), scored on the held-out rows.
        xs = train;
        const fitMask = new Uint8Array(train.n).fill(1);
        for (const i of plan.val) fitMask[i] = 0;
        const h = await ctx.selectedHoldout(mAll);
        parts.push({ fit: train, fitLabels: trainLabels, fitMask, fitColumns: columns, val: h.val!, valColumns: h.valColumns, valLabels: h.valLabels!, moments: h.fit! });
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
          ctx.forgetSelectedTrain();
        }
        const k = sel.k;
        const xFit: FeatureBlock = { data: xs.data.subarray(0, nf * k), n: nf, d: k };
        const xVal: FeatureBlock = { data: xs.data.subarray(nf * k), n: train.n - nf, d: k };
        const fitLabels = labels.subarray(0, nf);
        const valLabels = labels.subarray(nf);
        // Without a shared Gram the fit rows' moments are all rows' minus the held-out rows' (a Gram of
        // the held-out rows only, not a second pass over the fit rows).
        const fitMoments = gram?.holdout?.fit ? await ofSelection(gram.holdout.fit) : complementMoments(mAll, await centredMoments(xVal, valLabels, { linalg, classes }));
        parts.push({ fit: xFit, fitLabels, val: xVal, valLabels, moments: fitMoments });
      }
      // A user grid takes the walk's own defaults (point by point, PROBE_DEFAULTS.softmaxPatience).
      const search = l2Setting === 'auto' ? PROBE_DEFAULTS.softmaxSearch : {};
      const walk = await softmaxValidationWalk(parts, grid, { standardize, linalg, classes, softmax: walkOpts, ...search });
      walkIterations = walk.iterations;
      penalty = chosenPenalty(l2Setting, scale, plan, walk.l2, walk.accuracy, walk.best);
      init = walk.model;
    }
  }
  const l2 = penalty.l2;
  const whitening = gram && sel.indices ? await gram.whiteningFor(sel.indices, l2, standardize) : undefined;
  const fit = await fitSoftmaxProbe(xs, labels, { ...so, init, l2, standardize, linalg, classes, moments: mAll, whitening, columns });
  const model = fit.model;
  const hyper = {
    ...penaltyHyper(penalty), standardize, sklearnC: 1 / (train.n * l2), gtol: so.gtol, ftol: so.ftol,
    maxIterations: so.maxIterations, iterations: fit.iterations, evaluations: fit.evaluations, validationIterations: walkIterations,
    stop: fit.stop, loss: fit.loss, gradInf: fit.gradInf,
  };
  return { model, hyper, penalty };
}
