import type { ProbeKind } from './types.js';

/**
 * The probe defaults, stated once. Every entry point (`runProbe`, `runSweep`, `dr probe`,
 * `dr sweep`, `dr reproduce`, the notebooks) reads them from here.
 *
 * Penalty λ: `'auto'` chooses it on a validation part of the TRAINING split (the paper's protocol:
 * 10% held out, seed 0, stratified by class), from a log grid relative to the mean variance s of
 * the features the probe sees (λ = s·10^e, so the grid follows the features' scale), by validation
 * accuracy with ties going to the larger λ; the probe is then refit on the whole training split.
 * When the split is too small to hold out a part (fewer than `minRows` rows, or a class with
 * fewer than `minPerClass` rows) the documented fallback is λ = s·10^`fallbackExponent`, and the
 * result says so (`hyper.validation.used = false` with the reason).
 * @example
 * ```ts
 * PROBE_DEFAULTS.probe;            // 'softmax'
 * PROBE_DEFAULTS.validation.fraction; // 0.1 of the training rows hold λ's choice
 * ```
 */
export const PROBE_DEFAULTS = {
  /** Probe kind of `dr probe`, `dr sweep`, `runSweep` and the full `dr reproduce`. */
  probe: 'softmax' as ProbeKind,
  /** The fast option, used by `dr reproduce --quick` (`npm start`). */
  quickProbe: 'ridge' as ProbeKind,
  /** Penalty selection. */
  l2: 'auto' as const,
  validation: {
    /** Held-out share of the training rows. */
    fraction: 0.1,
    /** Seed of the held-out draw (the paper's 0). */
    seed: 0,
    /** Below this many training rows no validation part is held out. */
    minRows: 20,
    /** Every class present in training needs this many rows for the stratified hold-out. */
    minPerClass: 2,
    /**
     * A held-out part smaller than this is too noisy to rank λ alone: then all round(1/fraction)
     * disjoint stratified parts are held out in turn and their validation accuracies pooled.
     * Ridge then ranks λ by the pooled held-out squared error instead (continuous, where accuracy
     * on so few rows is flat over wide λ ranges; scikit-learn's RidgeClassifierCV default).
     */
    minValRows: 100,
  },
  /** Ridge grid exponents e (λ = s·10^e): one factorisation serves them all (ridgeValidationCurve), so it is fine. */
  ridgeExponents: Array.from({ length: 21 }, (_, i) => 3 - 0.5 * i) as readonly number[],
  /** Softmax grid exponents (half decades), searched coarse to fine (`softmaxSearch`). */
  softmaxExponents: Array.from({ length: 17 }, (_, i) => 2 - 0.5 * i) as readonly number[],
  /**
   * The default softmax search, coarse to fine: a warm-started walk over every `stride`-th exponent
   * (decades), stopping after `patience` decades without a strictly better validation accuracy
   * (counted once some λ has beaten the first, so a walk never stops on the large-λ plateau), then
   * the half decades on either side of the best decade; λ is the best of those three by the
   * smoothed curve. Measured on the bench's 22 cells (paper-scale pair): the same λ as the
   * half-decade walk with patience 3 on every cell with k ≥ 40, within validation noise below,
   * at 0.69× its walk time (31% fewer fits; a decade step takes as many L-BFGS iterations as a half-decade one).
   */
  softmaxSearch: { stride: 2, patience: 1 },
  /** A user's grid (`--l2 LIST`) is walked point by point, stopping after this many steps without a strictly better validation accuracy. */
  softmaxPatience: 3,
  /**
   * λ is chosen on the validation curve averaged over each grid point and its neighbours (a
   * 3-point moving average in log λ), which damps the noise of a few hundred held-out rows.
   */
  smoothing: 1,
  /** λ of the low-level fitters (fitRidgeProbe, fitSoftmaxProbe, …) when called without one; runProbe uses `l2`. */
  fixedL2: 1e-4,
  /** λ = s·10^fallbackExponent when no validation part can be held out (a user grid: its largest λ). */
  fallbackExponent: -1,
  /**
   * Softmax optimiser (scale-free stopping, see ./lbfgs.ts): stop when ‖∇‖∞ ≤ gtol·‖∇₀‖∞ (∇₀ the
   * gradient at W = 0, b = 0), or when an iteration lowers the loss by ≤ ftol·|loss|, or at maxIterations.
   * ftol 1e-10: with the line search on the logits the loss values are smooth, and below 1e-10 the
   * iterations only moved the loss under its float32 rounding (20,000 × 204: 48 → 41 iterations at
   * λ = 1e-4, loss within 1e-10; the noisy full evaluations used to end the run there by chance).
   */
  softmax: { gtol: 1e-7, ftol: 1e-10, maxIterations: 1000, memory: 10 },
  /**
   * The walk reuses a whitening factor (a k×k Cholesky; it only preconditions) while λ > (its λ)/span:
   * with half-decade steps and span 100 it factors every fourth step (measured at 6000 × 512: the same
   * validation curve, 10–25% fewer walk iterations than a factor per λ; one factor for the whole walk
   * doubles them).
   */
  softmaxWhiteningSpan: 100,
  /**
   * Looser tolerances of the fits on the validation walk: they only rank λ by validation accuracy
   * (gtol 1e-3 instead of 1e-4 takes ~30% fewer walk iterations with the same validation curve to
   * 3 decimals on the bench's cells; the final refit runs at `softmax`'s full tolerance).
   */
  softmaxWalk: { gtol: 1e-3, ftol: 1e-9 },
} as const;

/**
 * The λ values of a relative grid for features of mean variance `scale` (> 0; 1 when unknown):
 * scale·10^e for each exponent, in the given (descending) order.
 */
export function relativeL2Grid(exponents: readonly number[], scale: number): number[] {
  const s = scale > 0 && Number.isFinite(scale) ? scale : 1;
  return exponents.map((e) => s * 10 ** e);
}

/** A penalty setting: `'auto'` (default grid), one fixed λ, or a user grid to choose from on validation data. */
export type L2Setting = 'auto' | number | readonly number[];

/**
 * Checks an {@link L2Setting}: numbers must be finite and ≥ 0, a grid non-empty. Throws a
 * RangeError naming `what` (e.g. `--l2`) otherwise. Returns the setting with a grid sorted
 * descending and deduplicated (a one-element grid stays a grid: it still reports validation accuracy).
 */
export function checkL2Setting(l2: L2Setting, what = 'l2'): L2Setting {
  if (l2 === 'auto') return l2;
  if (typeof l2 === 'number') {
    if (!(Number.isFinite(l2) && l2 >= 0)) throw new RangeError(`${what}: λ must be a finite number ≥ 0, got ${l2}`);
    return l2;
  }
  if (!Array.isArray(l2) || l2.length === 0) throw new RangeError(`${what}: the λ grid is empty`);
  for (const v of l2) if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) throw new RangeError(`${what}: every λ of the grid must be a finite number ≥ 0, got ${String(v)}`);
  return [...new Set(l2 as number[])].sort((a, b) => b - a);
}

/** Canonical JSON-able form of a setting (for sweep resume keys). */
export function l2SettingKey(l2: L2Setting | undefined): string | number | number[] {
  const s = l2 ?? PROBE_DEFAULTS.l2;
  return typeof s === 'string' || typeof s === 'number' ? s : [...checkL2Setting(s) as number[]];
}
