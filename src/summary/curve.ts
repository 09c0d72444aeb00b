import type * as aq from 'arquero';
import { finiteMean, finitePopulationStd, groupRows, presentKeys, rowsToTable, tableRows } from './groups.js';

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
 */
export function accuracyCurves(results: aq.ColumnTable, groupBy: readonly string[] = CURVE_KEYS): aq.ColumnTable {
  const keys = presentKeys(results, groupBy);
  const rows = tableRows(results, ['fraction', 'accuracy'], 'accuracy curves');
  const out: Record<string, unknown>[] = [];
  for (const [key, groupRowsList] of groupRows(rows, keys)) {
    const byFraction = groupRows(groupRowsList, ['fraction']).sort((a, b) => Number(a[0].fraction) - Number(b[0].fraction));
    for (const [fk, runs] of byFraction) {
      const acc = runs.map((r) => Number(r.accuracy));
      const ks = runs.map((r) => Number(r.k));
      out.push({
        ...key,
        fraction: Number(fk.fraction),
        k: finiteMean(ks),
        accuracyMean: finiteMean(acc),
        accuracyStd: finitePopulationStd(acc),
        runs: acc.filter(Number.isFinite).length,
      });
    }
  }
  return rowsToTable(out, [...keys, 'fraction', 'k', 'accuracyMean', 'accuracyStd', 'runs']);
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
