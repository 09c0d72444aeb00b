import * as aq from 'arquero';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';

/**
 * A unit whose population std is at most this times the largest unit std of the layer counts as
 * near-constant (float32 features carry ~7 significant digits, so such a unit is constant up to rounding).
 */
export const NEAR_CONSTANT_STD_RTOL = 1e-6;

/**
 * A unit one of whose values (its mode) fills at least this share of the rows counts as near-constant:
 * e.g. a ReLU that fires on at most 0.1% of the images (2 of 2,000).
 */
export const NEAR_CONSTANT_MODE_SHARE = 0.999;

/** Dead and near-constant units of one feature block (one layer on one split). */
export interface DeadUnitStats {
  /** Rows the counts are taken over. */
  n: number;
  /** Units (neurons) in the layer. */
  d: number;
  /** Units whose value is identical on every row (max = min in float32). */
  zeroVariance: number;
  /**
   * Units that are not zero-variance but nearly constant: population std ≤ {@link NEAR_CONSTANT_STD_RTOL} ×
   * the layer's largest unit std, or one value on ≥ {@link NEAR_CONSTANT_MODE_SHARE} of the rows.
   */
  nearConstant: number;
  /** zeroVariance + nearConstant. */
  dead: number;
  /** dead / d, in [0, 1]. */
  deadShare: number;
  /** Indices of the zero-variance units, ascending. */
  zeroVarianceUnits: Int32Array;
  /** Indices of the near-constant units, ascending. */
  nearConstantUnits: Int32Array;
  /** The thresholds used (so a reader can restate the definition). */
  stdRtol: number;
  modeShare: number;
}

/**
 * Counts the zero-variance and near-constant units of an n×d row-major feature block (definitions in
 * {@link DeadUnitStats}). Two passes over the rows, O(n·d) time and O(d) extra memory: the first
 * accumulates float64 sums and a Boyer–Moore majority candidate per unit (the only value that can
 * fill more than half the rows), the second the squared deviations and the candidate's count.
 * With n = 0 every unit counts as zero-variance (nothing varies).
 */
export function deadUnitStats(features: FeatureBlock, opts: { stdRtol?: number; modeShare?: number } = {}): DeadUnitStats {
  checkFeatureBlock(features, 'dead units: features');
  const stdRtol = opts.stdRtol ?? NEAR_CONSTANT_STD_RTOL;
  const modeShare = opts.modeShare ?? NEAR_CONSTANT_MODE_SHARE;
  if (!(stdRtol >= 0)) throw new RangeError(`dead units: stdRtol must be ≥ 0, got ${stdRtol}`);
  if (!(modeShare > 0.5 && modeShare <= 1)) throw new RangeError(`dead units: modeShare must be in (0.5, 1], got ${modeShare}`);
  const { data, n, d } = features;
  const sum = new Float64Array(d);
  const min = new Float32Array(d).fill(Infinity);
  const max = new Float32Array(d).fill(-Infinity);
  const candidate = new Float32Array(d);
  const votes = new Int32Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[row + j];
      sum[j] += v;
      if (v < min[j]) min[j] = v;
      if (v > max[j]) max[j] = v;
      if (votes[j] === 0) { candidate[j] = v; votes[j] = 1; } else if (candidate[j] === v) votes[j]++; else votes[j]--;
    }
  }
  const mean = sum.map((s) => (n ? s / n : 0));
  const sq = new Float64Array(d);
  const modeCount = new Int32Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[row + j];
      sq[j] += (v - mean[j]) ** 2;
      if (v === candidate[j]) modeCount[j]++;
    }
  }
  const std = sq.map((s) => (n ? Math.sqrt(s / n) : 0));
  const maxStd = std.reduce((m, s) => Math.max(m, s), 0);
  const zero: number[] = [];
  const near: number[] = [];
  for (let j = 0; j < d; j++) {
    if (n === 0 || max[j] === min[j]) zero.push(j);
    else if (std[j] <= stdRtol * maxStd || modeCount[j] >= modeShare * n) near.push(j);
  }
  const dead = zero.length + near.length;
  return {
    n, d, zeroVariance: zero.length, nearConstant: near.length, dead, deadShare: dead / d,
    zeroVarianceUnits: Int32Array.from(zero), nearConstantUnits: Int32Array.from(near), stdRtol, modeShare,
  };
}

/** One line for CLI output and reports, e.g. `dead units: 12 of 128 (9.4%): 10 zero-variance, 2 near-constant (over 2000 rows)`. */
export function formatDeadUnits(s: DeadUnitStats): string {
  return `dead units: ${s.dead} of ${s.d} (${(100 * s.deadShare).toFixed(1)}%): ${s.zeroVariance} zero-variance, ${s.nearConstant} near-constant ` +
    `(std ≤ ${s.stdRtol}·max std or one value on ≥ ${100 * s.modeShare}% of rows; over ${s.n} rows)`;
}

/** The JSON form of {@link DeadUnitStats} (index lists as plain arrays). */
export function deadUnitsJson(s: DeadUnitStats): Record<string, unknown> {
  return { ...s, zeroVarianceUnits: Array.from(s.zeroVarianceUnits), nearConstantUnits: Array.from(s.nearConstantUnits) };
}

/**
 * Covariance eigenvalues at most this times the largest count as a null (dead) direction: a direction with
 * no variance up to float32 rounding of the Gram (std ratio 1e-3).
 */
export const NULL_EIGENVALUE_RTOL = 1e-6;

/**
 * Dimension of the dead subspace of a layer: how many covariance eigenvalues (any order, units feature²)
 * are ≤ {@link NULL_EIGENVALUE_RTOL} × the largest. The bottom-k principal directions lie entirely in it
 * for k ≤ this number, so their probes see constants.
 */
export function nullDimension(eigenvalues: ArrayLike<number>, rtol = NULL_EIGENVALUE_RTOL): number {
  let max = 0;
  for (let i = 0; i < eigenvalues.length; i++) max = Math.max(max, eigenvalues[i]);
  let count = 0;
  for (let i = 0; i < eigenvalues.length; i++) if (eigenvalues[i] <= rtol * max) count++;
  return count;
}

/**
 * Dead units per model and task from sweep results (columns model, dataset, d, deadUnits, nearConstantUnits;
 * rows of older results without the counts are skipped): one row per (model, dataset) with d, zeroVariance,
 * nearConstant and deadShare = (zeroVariance + nearConstant) / d, sorted by deadShare descending.
 */
export function deadUnitsByModel(results: aq.ColumnTable): aq.ColumnTable {
  const names = new Set(results.columnNames());
  const need = ['model', 'dataset', 'd', 'deadUnits', 'nearConstantUnits'];
  if (!need.every((c) => names.has(c))) return aq.table({ model: [], dataset: [], d: [], zeroVariance: [], nearConstant: [], deadShare: [] });
  return results
    .select(need)
    .filter((r: any) => r.deadUnits != null && r.nearConstantUnits != null)
    .groupby('model', 'dataset')
    .rollup({ d: (r: any) => aq.op.max(r.d), zeroVariance: (r: any) => aq.op.max(r.deadUnits), nearConstant: (r: any) => aq.op.max(r.nearConstantUnits) })
    .derive({ deadShare: (r: any) => (r.zeroVariance + r.nearConstant) / r.d })
    .orderby(aq.desc('deadShare'), 'model', 'dataset');
}
