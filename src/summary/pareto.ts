import type * as aq from 'arquero';
import { groupRows, presentKeys, rowsToTable, tableRows, type Row } from './groups.js';

/** A point of the redundancy–performance plane: absolute neuron count and (mean) accuracy. */
export interface ParetoPoint {
  neurons: number;
  accuracy: number;
}

/**
 * Indices of the upper-left Pareto frontier of `points`: a point is kept unless another has no more
 * neurons and at least its accuracy, with one of the two strictly better. Exact duplicates keep the
 * first. Returned in ascending neuron order (accuracy then strictly increases). Non-finite points are skipped.
 */
export function paretoFrontierIndices(points: readonly ParetoPoint[]): number[] {
  const order = points
    .map((p, i) => i)
    .filter((i) => Number.isFinite(points[i].neurons) && Number.isFinite(points[i].accuracy))
    .sort((a, b) => points[a].neurons - points[b].neurons || points[b].accuracy - points[a].accuracy || a - b);
  const kept: number[] = [];
  let best = -Infinity;
  for (const i of order) {
    if (points[i].accuracy > best) {
      kept.push(i);
      best = points[i].accuracy;
    }
  }
  return kept;
}

/** Options for {@link paretoFrontier} / {@link markParetoFrontier}. */
export interface ParetoOptions {
  /** One frontier per value of these columns (default `['dataset']`, i.e. per task, across models). */
  groupBy?: readonly string[];
  /** Absolute neuron count column (default `k`). */
  neuronsColumn?: string;
  /** Accuracy column (default `accuracyMean`, as produced by `accuracyCurves`). */
  accuracyColumn?: string;
}

function markedRows(table: aq.ColumnTable, opts: ParetoOptions): { rows: Row[]; keys: string[] } {
  const nCol = opts.neuronsColumn ?? 'k';
  const aCol = opts.accuracyColumn ?? 'accuracyMean';
  const keys = presentKeys(table, opts.groupBy ?? ['dataset']);
  const rows = tableRows(table, [nCol, aCol], 'Pareto frontier').map((r) => ({ ...r, onFrontier: false }));
  for (const [, g] of groupRows(rows, keys)) {
    const idx = paretoFrontierIndices(g.map((r) => ({ neurons: Number(r[nCol]), accuracy: Number(r[aCol]) })));
    for (const i of idx) g[i].onFrontier = true;
  }
  return { rows, keys };
}

/**
 * All rows of `table` with a boolean `onFrontier` column: true for rows on their group's
 * accuracy-vs-neurons upper envelope (see {@link paretoFrontierIndices}).
 */
export function markParetoFrontier(table: aq.ColumnTable, opts: ParetoOptions = {}): aq.ColumnTable {
  const { rows } = markedRows(table, opts);
  return rowsToTable(rows, [...table.columnNames(), 'onFrontier']);
}

/**
 * Only the frontier rows of each group (all input columns kept), ordered by group then neurons ascending.
 * Typical input: mean accuracy per (model, dataset, selection, k) across several models.
 */
export function paretoFrontier(table: aq.ColumnTable, opts: ParetoOptions = {}): aq.ColumnTable {
  const nCol = opts.neuronsColumn ?? 'k';
  const { rows, keys } = markedRows(table, opts);
  const out: Row[] = [];
  for (const [, g] of groupRows(rows.filter((r) => r.onFrontier), keys)) {
    out.push(...g.sort((a, b) => Number(a[nCol]) - Number(b[nCol])));
  }
  return rowsToTable(out, table.columnNames());
}
