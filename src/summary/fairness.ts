import type * as aq from 'arquero';
import { finiteMean, seriesPointIndices, presentKeys, rowsToTable, tableRows, type Row } from './groups.js';
import { coefficientOfVariation, gini, maxMinGap } from './inequality.js';

/** Columns identifying one model × task × method series in fairness summaries (those present are used). */
export const FAIRNESS_KEYS: readonly string[] = ['model', 'dataset', 'selection', 'probe'];

/** Per-class accuracy, classes × fractions, averaged over seeds, for one series. */
export interface PerClassMatrix {
  /** Tested fractions, ascending (the columns). */
  fractions: number[];
  classes: number;
  /** classes×fractions row-major: `data[c * fractions.length + j]` = mean accuracy of class c at fractions[j]. */
  data: Float64Array;
}

function perClassOf(row: Row, where: string): number[] {
  const v = row.perClassAccuracy;
  if (v == null || typeof (v as ArrayLike<number>).length !== 'number') {
    throw new RangeError(`${where}: row has no perClassAccuracy list`);
  }
  return Array.from(v as ArrayLike<number>, (x) => (x == null ? NaN : Number(x)));
}

/** Element-wise mean over seeds (ignoring NaN), checking every run has the same number of classes. */
function meanPerClass(runs: readonly Row[], where: string): number[] {
  const lists = runs.map((r) => perClassOf(r, where));
  const classes = lists[0].length;
  for (const l of lists) {
    if (l.length !== classes) throw new RangeError(`${where}: runs disagree on the number of classes (${classes} vs ${l.length})`);
  }
  return Array.from({ length: classes }, (_, c) => finiteMean(lists.map((l) => l[c])));
}

/**
 * The classes × fractions matrix of one series: `results` rows (fraction, perClassAccuracy list, seeds…)
 * all belonging to the same model/dataset/selection/probe.
 */
export function perClassAccuracyMatrix(results: aq.ColumnTable): PerClassMatrix {
  const rows = tableRows(results, ['fraction', 'perClassAccuracy'], 'per-class accuracy');
  const byF = seriesPointIndices(results, [], 'fraction');
  const cols = byF.map(([k, idx]) => meanPerClass(idx.map((i) => rows[i]), `per-class accuracy at fraction ${String(k.fraction)}`));
  const classes = cols.length ? cols[0].length : 0;
  if (cols.some((c) => c.length !== classes)) throw new RangeError('per-class accuracy: fractions disagree on the number of classes');
  const data = new Float64Array(classes * cols.length);
  cols.forEach((col, j) => col.forEach((v, c) => { data[c * cols.length + j] = v; }));
  return { fractions: byF.map(([k]) => Number(k.fraction)), classes, data };
}

/**
 * Long-form per-class accuracy (mean over seeds): groupBy keys…, fraction, classIndex, accuracy.
 * One row per (series, fraction, class).
 * @example
 * ```ts
 * const long = perClassAccuracyTable(sweep.results); // one row per (series, fraction, class)
 * ```
 */
export function perClassAccuracyTable(results: aq.ColumnTable, groupBy: readonly string[] = FAIRNESS_KEYS): aq.ColumnTable {
  const keys = presentKeys(results, groupBy);
  const rows = tableRows(results, ['fraction', 'perClassAccuracy'], 'per-class accuracy');
  const out: Row[] = [];
  for (const [key, idx] of seriesPointIndices(results, keys, 'fraction')) {
    meanPerClass(idx.map((i) => rows[i]), 'per-class accuracy').forEach((accuracy, classIndex) => out.push({ ...key, fraction: Number(key.fraction), classIndex, accuracy }));
  }
  return rowsToTable(out, [...keys, 'fraction', 'classIndex', 'accuracy']);
}

/**
 * Fairness summary per series and fraction, from the per-class accuracy averaged over seeds:
 * groupBy keys…, fraction, k (mean), accuracyMean (overall accuracy, mean over seeds), gini (paper's
 * formula), maxMinGap (max − min class accuracy), cv (population std / mean), classes.
 * @example
 * ```ts
 * showTable(fairnessTable(sweep.results), { columns: ['fraction', 'accuracyMean', 'gini'] });
 * ```
 */
export function fairnessTable(results: aq.ColumnTable, groupBy: readonly string[] = FAIRNESS_KEYS): aq.ColumnTable {
  const keys = presentKeys(results, groupBy);
  const rows = tableRows(results, ['fraction', 'accuracy', 'perClassAccuracy'], 'fairness');
  const out: Row[] = [];
  for (const [key, idx] of seriesPointIndices(results, keys, 'fraction')) {
    const runs = idx.map((i) => rows[i]);
    const perClass = meanPerClass(runs, 'fairness');
    out.push({
      ...key,
      fraction: Number(key.fraction),
      k: finiteMean(runs.map((r) => Number(r.k))),
      accuracyMean: finiteMean(runs.map((r) => Number(r.accuracy))),
      gini: gini(perClass),
      maxMinGap: maxMinGap(perClass),
      cv: coefficientOfVariation(perClass),
      classes: perClass.length,
    });
  }
  return rowsToTable(out, [...keys, 'fraction', 'k', 'accuracyMean', 'gini', 'maxMinGap', 'cv', 'classes']);
}
