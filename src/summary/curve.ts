import type * as aq from 'arquero';
import { op } from 'arquero';
import { presentKeys, requireColumns } from './groups.js';

/**
 * Mean test accuracy against the fraction of neurons kept, for one (model, dataset, selection, probe).
 * `fractions[i]` in (0, 1] ascending; `accuracies[i]` in [0, 1] is the mean over seeds at that fraction.
 * The full layer (fraction 1) must be present for DR(δ).
 */
export interface AccuracyCurve {
  fractions: number[];
  accuracies: number[];
}

/** Columns that identify one curve in a results table (those present are used). */
export const CURVE_KEYS: readonly string[] = ['model', 'dataset', 'selection', 'probe'];

/**
 * Aggregates per-run results (one row per fraction × seed, columns `fraction`, `accuracy`, optionally `k`
 * and the `groupBy` keys) into mean ± population std over seeds per fraction.
 * Returns an arquero table: groupBy keys…, fraction, k (mean neuron count), accuracyMean, accuracyStd, runs;
 * rows sorted by group (first-seen order) then fraction ascending.
 * @example
 * ```ts
 * const curves = accuracyCurves(sweep.results); // mean ± std accuracy per fraction
 * ```
 */
export function accuracyCurves(results: aq.ColumnTable, groupBy: readonly string[] = CURVE_KEYS): aq.ColumnTable {
  const keys = presentKeys(results, groupBy);
  requireColumns(results, ['fraction', 'accuracy'], 'accuracy curves');
  const withK = results.columnNames().includes('k') ? results : results.derive({ k: () => NaN });
  // Mean first, then squared deviations from it: the two-pass population std. arquero's aggregates skip NaN.
  return withK
    .derive({ curveRow: () => op.row_number() })
    .groupby(keys)
    .derive({ curveOrder: (r: any) => op.min(r.curveRow) })
    .groupby([...keys, 'fraction'])
    .derive({ accuracyGroupMean: (r: any) => op.sum(r.accuracy) / op.valid(r.accuracy) })
    .derive({ accuracySquaredDeviation: (r: any) => (op.is_finite(r.accuracy) ? (r.accuracy - r.accuracyGroupMean) ** 2 : null) })
    .rollup({
      curveOrder: (r: any) => op.min(r.curveOrder),
      kSum: (r: any) => op.sum(r.k),
      kRuns: (r: any) => op.valid(r.k),
      accuracySum: (r: any) => op.sum(r.accuracy),
      runs: (r: any) => op.valid(r.accuracy),
      squaredDeviations: (r: any) => op.sum(r.accuracySquaredDeviation),
    })
    .derive({
      k: (r: any) => (r.kRuns > 0 ? r.kSum / r.kRuns : NaN),
      accuracyMean: (r: any) => (r.runs > 0 ? r.accuracySum / r.runs : NaN),
      accuracyStd: (r: any) => (r.runs > 0 ? op.sqrt(r.squaredDeviations / r.runs) : NaN),
    })
    .orderby('curveOrder', 'fraction')
    .select(...keys, 'fraction', 'k', 'accuracyMean', 'accuracyStd', 'runs') as aq.ColumnTable;
}

/**
 * Builds an {@link AccuracyCurve} from (fraction, mean accuracy) pairs, sorting by fraction and
 * checking that every value is finite and fractions are in (0, 1] without duplicates.
 */
export function makeAccuracyCurve(fractions: ArrayLike<number>, accuracies: ArrayLike<number>): AccuracyCurve {
  if (fractions.length !== accuracies.length) {
    throw new RangeError(`accuracy curve: ${fractions.length} fractions but ${accuracies.length} accuracies`);
  }
  const pairs = Array.from(fractions, (f, i) => [Number(f), Number(accuracies[i])] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 0; i < pairs.length; i++) {
    const [f, a] = pairs[i];
    if (!(f > 0 && f <= 1 + 1e-12)) throw new RangeError(`accuracy curve: fraction ${f} outside (0, 1]`);
    if (!Number.isFinite(a)) throw new RangeError(`accuracy curve: accuracy at fraction ${f} is not finite (${a})`);
    if (i > 0 && f === pairs[i - 1][0]) throw new RangeError(`accuracy curve: fraction ${f} appears twice (average seeds first)`);
  }
  return { fractions: pairs.map((p) => p[0]), accuracies: pairs.map((p) => p[1]) };
}
