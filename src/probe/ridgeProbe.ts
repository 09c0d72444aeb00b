import { gatherRows } from './features.js';
import { centredMoments } from './gram.js';
import { fitRidgeFromMomentsBlocked } from './ridge.js';
import { PROBE_DEFAULTS, relativeL2Grid } from './defaults.js';
import { complementMoments, meanVariance, planHoldout } from './validation.js';
import { bestOnCurve, chooseOnCurve, ridgeValidationCurve, ridgeValidationCurves, type PenaltyChoice, type RidgeCurves } from './penalty.js';
import { fitRidgeDual, ridgeFoldCurvesDual, ridgeValidationCurveDual } from './ridgeDual.js';
import { chosenPenalty, fallbackPenalty, fixedPenalty, penaltyHyper } from './penaltyChoice.js';
import type { ProbeFitContext } from './probeContext.js';
import type { ProbeFit } from './registry.js';

/**
 * The ridge probe of {@link runProbe}: one-vs-rest least squares on ±1 targets, λ chosen on the
 * validation part from one factorisation per subset (primal k×k, or the n×n dual when the fit rows
 * are fewer than the features), refit on all training rows.
 */
export async function fitRidgeKind(ctx: ProbeFitContext): Promise<ProbeFit> {
  const { train, trainLabels, selection: sel, linalg, classes, standardize, ridgeGram: gram, l2: l2Setting, selectTrain, allMoments, selectedHoldout } = ctx;
  let penalty: PenaltyChoice;
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
      const accuracy = await ridgeValidationCurve(h.fit!, h.val!, h.valLabels!, grid, { standardize, linalg, valColumns: h.valColumns });
      penalty = chosenPenalty(l2Setting, scale, plan, grid, accuracy, chooseOnCurve(accuracy));
    }
  }
  const dualModel = dual ? await fitRidgeDual(await selectTrain(), trainLabels, { classes, l2: penalty.l2, standardize, linalg }) : undefined;
  const model = dualModel ?? await fitRidgeFromMomentsBlocked(mAll, { l2: penalty.l2, standardize, linalg });
  const hyper = { ...penaltyHyper(penalty), standardize, objective: '(1/2n)·‖XW+b−Y‖² + (λ/2)·‖W‖²' };
  return { model, hyper, penalty };
}
