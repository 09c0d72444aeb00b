import { PROBE_DEFAULTS } from './defaults.js';
import type { HoldoutPlan } from './validation.js';
import type { PenaltyChoice } from './penalty.js';

/** The choice record of a λ fixed by the caller (no validation part). */
export function fixedPenalty(l2: number, scale: number): PenaltyChoice {
  return { l2, mode: 'fixed', validation: { used: false, reason: 'λ fixed by the caller' }, curve: { l2: [], accuracy: [] }, scale };
}

/** The documented fallback when no validation part can be held out (see PROBE_DEFAULTS). */
export function fallbackPenalty(setting: 'auto' | readonly number[], scale: number, reason: string): PenaltyChoice {
  const auto = setting === 'auto';
  const l2 = auto ? scale * 10 ** PROBE_DEFAULTS.fallbackExponent : Math.max(...setting);
  const rule = auto ? `λ = s·10^${PROBE_DEFAULTS.fallbackExponent} (s = mean feature variance)` : 'the largest λ of the grid';
  return { l2, mode: auto ? 'auto' : 'grid', validation: { used: false, reason, rule }, curve: { l2: [], accuracy: [] }, scale };
}

/** The choice record of λ = `l2[best]` on a validation curve (`accuracy` per grid λ). */
export function chosenPenalty(setting: 'auto' | readonly number[], scale: number, plan: HoldoutPlan & { used: true }, l2: number[], accuracy: number[], best: number): PenaltyChoice {
  return {
    l2: l2[best], mode: setting === 'auto' ? 'auto' : 'grid',
    validation: plan.folds
      ? { used: true, fitRows: plan.fit.length, valRows: plan.val.length, stratified: plan.stratified, fraction: plan.fraction, seed: plan.seed, folds: plan.folds.length }
      : { used: true, fitRows: plan.fit.length, valRows: plan.val.length, stratified: plan.stratified, fraction: plan.fraction, seed: plan.seed },
    curve: { l2, accuracy }, scale,
  };
}

/** The penalty's entries of a result's `hyper` (the sweep stores l2, validationL2, validationAccuracy as columns). */
export function penaltyHyper(p: PenaltyChoice): Record<string, unknown> {
  return {
    l2: p.l2, l2Mode: p.mode, validation: p.validation, validationL2: p.curve.l2, validationAccuracy: p.curve.accuracy, l2Scale: p.scale,
    ...(p.criterion ? { validationCriterion: p.criterion } : {}), ...(p.curve.squaredError ? { validationSquaredError: p.curve.squaredError } : {}),
  };
}
