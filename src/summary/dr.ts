import type * as aq from 'arquero';
import { type AccuracyCurve, CURVE_KEYS, accuracyCurves, makeAccuracyCurve } from './curve.js';
import { groupIndices, presentKeys, requireColumns, rowsToTable } from './groups.js';

/**
 * How DR(δ) is read off an accuracy curve.
 * - `nearest`: the authors' estimator. ratio_i = a_i / a(1); DR = 1 − f_j for the tested fraction j whose
 *   ratio is closest to δ (first in ascending-fraction order on ties). Quantised to the tested grid.
 * - `interpolated`: the smallest fraction at which the mean-accuracy ratio reaches δ, found by linear
 *   interpolation (in f) between the last tested fraction below δ and the first at or above it; DR = 1 − f*.
 */
export type DrEstimator = 'nearest' | 'interpolated';

/** The estimators, in the order the CLI lists them. */
export const DR_ESTIMATORS: readonly DrEstimator[] = ['nearest', 'interpolated'];

/**
 * The estimators every DR table of `dr dr` and the report shows, side by side and named apart in
 * the `estimator` column (verdicts read the interpolated one, which is not quantised to the grid).
 */
export const DR_ESTIMATORS_SHOWN: readonly DrEstimator[] = ['nearest', 'interpolated'];

/** One DR(δ) reading with what it was based on. */
export interface DrEstimate {
  delta: number;
  estimator: DrEstimator;
  /** 1 − fraction, in [0, 1); NaN when the curve cannot answer (no full-layer point, δ never reached). */
  dr: number;
  /** The fraction of neurons the estimate rests on (f_j, or the interpolated f*). */
  fraction: number;
  /** Accuracy ratio a(f)/a(1) at `fraction` (δ itself for an interpolated hit). */
  ratio: number;
  /** Mean accuracy of the full layer, a(1). */
  fullAccuracy: number;
  /**
   * True when the smallest tested fraction already reaches δ (interpolated estimator), so the true
   * crossing lies below the grid and DR is a lower bound.
   */
  clamped: boolean;
}

const FULL_TOL = 1e-9;

/** Rounds away float noise of 1 − f (e.g. 1 − 0.3 = 0.7000000000000001) to 12 decimals. */
function oneMinus(f: number): number {
  return Math.round((1 - f) * 1e12) / 1e12;
}

function fullAccuracyOf(curve: AccuracyCurve): number {
  const i = curve.fractions.findIndex((f) => Math.abs(f - 1) < FULL_TOL);
  return i >= 0 ? curve.accuracies[i] : NaN;
}

function checkDelta(delta: number): void {
  if (!Number.isFinite(delta)) throw new RangeError(`DR: δ must be a finite number, got ${delta}`);
}

/**
 * The authors' nearest-grid DR(δ) on a curve (fractions ascending, full layer f = 1 included).
 * Returns NaN `dr` when the curve has no f = 1 point or a(1) is 0.
 */
export function drNearestGrid(curve: AccuracyCurve, delta: number): DrEstimate {
  checkDelta(delta);
  const c = makeAccuracyCurve(curve.fractions, curve.accuracies);
  const full = fullAccuracyOf(c);
  const base: DrEstimate = { delta, estimator: 'nearest', dr: NaN, fraction: NaN, ratio: NaN, fullAccuracy: full, clamped: false };
  if (!(full > 0)) return base;
  let best = -1;
  let bestGap = Infinity;
  for (let i = 0; i < c.fractions.length; i++) {
    const gap = Math.abs(c.accuracies[i] / full - delta);
    if (gap < bestGap) { bestGap = gap; best = i; }
  }
  const f = c.fractions[best];
  return { ...base, dr: oneMinus(f), fraction: f, ratio: c.accuracies[best] / full };
}

/**
 * Interpolated DR(δ): f* = the smallest fraction whose ratio a(f)/a(1) reaches δ, by linear interpolation
 * in f between neighbouring tested fractions; DR = 1 − f*. If the first tested fraction already reaches δ,
 * f* is that fraction and `clamped` is true. NaN when δ is never reached or a(1) is missing or 0.
 */
export function drInterpolated(curve: AccuracyCurve, delta: number): DrEstimate {
  checkDelta(delta);
  const c = makeAccuracyCurve(curve.fractions, curve.accuracies);
  const full = fullAccuracyOf(c);
  const base: DrEstimate = { delta, estimator: 'interpolated', dr: NaN, fraction: NaN, ratio: NaN, fullAccuracy: full, clamped: false };
  if (!(full > 0)) return base;
  const ratios = c.accuracies.map((a) => a / full);
  const hit = ratios.findIndex((r) => r >= delta);
  if (hit < 0) return base;
  if (hit === 0) return { ...base, dr: oneMinus(c.fractions[0]), fraction: c.fractions[0], ratio: ratios[0], clamped: true };
  const [f0, f1] = [c.fractions[hit - 1], c.fractions[hit]];
  const [r0, r1] = [ratios[hit - 1], ratios[hit]];
  const f = f0 + ((delta - r0) * (f1 - f0)) / (r1 - r0);
  return { ...base, dr: oneMinus(f), fraction: f, ratio: delta };
}

/** DR(δ) with the chosen estimator (default `nearest`, the authors'). See {@link DrEstimator}. */
export function drEstimate(curve: AccuracyCurve, delta: number, opts: { estimator?: DrEstimator } = {}): DrEstimate {
  const estimator = opts.estimator ?? 'nearest';
  if (estimator === 'nearest') return drNearestGrid(curve, delta);
  if (estimator === 'interpolated') return drInterpolated(curve, delta);
  throw new RangeError(`DR: unknown estimator '${String(estimator)}' (expected nearest or interpolated)`);
}

/** DR(δ) as a number in [0, 1) (NaN when undefined); `estimator` defaults to the authors' `nearest`. */
export function diffusedRedundancy(curve: AccuracyCurve, delta: number, opts: { estimator?: DrEstimator } = {}): number {
  return drEstimate(curve, delta, opts).dr;
}

/** Options for {@link drFromCurves} and {@link drTable}. */
export interface DrTableOptions {
  /** δ values, each finite (typically in [0, 1]). */
  deltas: readonly number[];
  /** One estimator or several (default `['nearest']`). */
  estimator?: DrEstimator | readonly DrEstimator[];
  /** Columns identifying one curve (default model, dataset, selection, probe; absent ones are ignored). */
  groupBy?: readonly string[];
  /** Column holding the mean accuracy in a curves table (default `accuracyMean`). */
  accuracyColumn?: string;
  /** Column holding the fraction (default `fraction`). */
  fractionColumn?: string;
}

const DR_COLUMNS = ['delta', 'estimator', 'dr', 'fraction', 'ratio', 'fullAccuracy', 'clamped'];

/**
 * DR(δ) for every curve of a table of mean accuracies (one row per group × fraction, e.g. from
 * {@link accuracyCurves} or the paper's CSVs). Returns an arquero table: groupBy keys…, delta, estimator,
 * dr, fraction, ratio, fullAccuracy, clamped — one row per (group, estimator, δ).
 * @example
 * ```ts
 * const dr = drFromCurves(accuracyCurves(sweep.results), { deltas: [0.9], estimator: ['nearest', 'interpolated'] });
 * ```
 */
export function drFromCurves(curves: aq.ColumnTable, opts: DrTableOptions): aq.ColumnTable {
  const accCol = opts.accuracyColumn ?? 'accuracyMean';
  const fCol = opts.fractionColumn ?? 'fraction';
  const estimators: readonly DrEstimator[] = typeof opts.estimator === 'string' ? [opts.estimator] : (opts.estimator ?? ['nearest']);
  const keys = presentKeys(curves, opts.groupBy ?? CURVE_KEYS);
  requireColumns(curves, [fCol, accCol], 'DR');
  const fractions = curves.array(fCol) as ArrayLike<unknown>;
  const accuracies = curves.array(accCol) as ArrayLike<unknown>;
  const out: Record<string, unknown>[] = [];
  for (const [key, rows] of groupIndices(curves, keys)) {
    const curve = makeAccuracyCurve(rows.map((i) => Number(fractions[i])), rows.map((i) => Number(accuracies[i])));
    for (const estimator of estimators) {
      for (const delta of opts.deltas) out.push({ ...key, ...drEstimate(curve, delta, { estimator }) });
    }
  }
  return rowsToTable(out, [...keys, ...DR_COLUMNS]);
}

/**
 * DR(δ) straight from per-run results (one row per fraction × seed with `fraction`, `accuracy`):
 * averages over seeds with {@link accuracyCurves}, then applies {@link drFromCurves}.
 * @example
 * ```ts
 * showTable(drTable(sweep.results, { deltas: [0.8, 0.9, 0.95] }));
 * ```
 */
export function drTable(results: aq.ColumnTable, opts: DrTableOptions): aq.ColumnTable {
  const groupBy = opts.groupBy ?? CURVE_KEYS;
  return drFromCurves(accuracyCurves(results, groupBy), { ...opts, groupBy, accuracyColumn: 'accuracyMean', fractionColumn: 'fraction' });
}
