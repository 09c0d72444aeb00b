import type * as aq from 'arquero';
import { groupIndices, presentKeys, requireColumns, rowsToTable, type Row } from './groups.js';

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

/** Per row of `table`: whether it lies on its group's frontier; and the groups (first-seen order) as row indices. */
function frontierFlags(table: aq.ColumnTable, opts: ParetoOptions): { onFrontier: boolean[]; groups: number[][] } {
  const nCol = opts.neuronsColumn ?? 'k';
  const aCol = opts.accuracyColumn ?? 'accuracyMean';
  const keys = presentKeys(table, opts.groupBy ?? ['dataset']);
  requireColumns(table, [nCol, aCol], 'Pareto frontier');
  const neurons = table.array(nCol) as ArrayLike<unknown>;
  const accuracy = table.array(aCol) as ArrayLike<unknown>;
  const onFrontier = new Array<boolean>(table.numRows()).fill(false);
  const groups = groupIndices(table, keys).map(([, rows]) => rows);
  for (const rows of groups) {
    const idx = paretoFrontierIndices(rows.map((i) => ({ neurons: Number(neurons[i]), accuracy: Number(accuracy[i]) })));
    for (const i of idx) onFrontier[rows[i]] = true;
  }
  return { onFrontier, groups };
}

/**
 * All rows of `table` with a boolean `onFrontier` column: true for rows on their group's
 * accuracy-vs-neurons upper envelope (see {@link paretoFrontierIndices}).
 */
export function markParetoFrontier(table: aq.ColumnTable, opts: ParetoOptions = {}): aq.ColumnTable {
  const { onFrontier } = frontierFlags(table, opts);
  return rowsToTable(table.objects().map((r, i) => ({ ...r, onFrontier: onFrontier[i] })), [...table.columnNames(), 'onFrontier']);
}

/**
 * Only the frontier rows of each group (all input columns kept), ordered by group then neurons ascending.
 * Typical input: mean accuracy per (model, dataset, selection, k) across several models.
 */
export function paretoFrontier(table: aq.ColumnTable, opts: ParetoOptions = {}): aq.ColumnTable {
  const nCol = opts.neuronsColumn ?? 'k';
  const { onFrontier, groups } = frontierFlags(table, opts);
  const neurons = table.array(nCol) as ArrayLike<unknown>;
  const rows = table.objects() as Row[];
  // Groups in the order their first frontier row appears; rows within a group by neurons (stable).
  const frontierGroups = groups.map((g) => g.filter((i) => onFrontier[i])).filter((g) => g.length).sort((a, b) => a[0] - b[0]);
  const out = frontierGroups.flatMap((g) => g.sort((a, b) => Number(neurons[a]) - Number(neurons[b])).map((i) => rows[i]));
  return rowsToTable(out, table.columnNames());
}
