import * as aq from 'arquero';
import { op } from 'arquero';
import { UsageError } from '../util/errors.js';

/** One row of an arquero table as a plain object. */
export type Row = Record<string, unknown>;

/**
 * Rows of `table` as plain objects (array columns stay typed arrays).
 * Throws a {@link UsageError} naming `what` when a required column is missing.
 */
export function tableRows(table: aq.ColumnTable, required: readonly string[], what: string): Row[] {
  requireColumns(table, required, what);
  return table.objects() as Row[];
}

/** Throws a {@link UsageError} naming `what` when `table` lacks one of the `required` columns. */
export function requireColumns(table: aq.ColumnTable, required: readonly string[], what: string): void {
  const names = new Set(table.columnNames());
  const missing = required.filter((c) => !names.has(c));
  if (missing.length) {
    throw new UsageError(`${what}: missing column(s) ${missing.join(', ')} (has: ${[...names].join(', ') || 'none'})`);
  }
}

/**
 * The rows of each group of `table` by the values of `keys` (arquero `groupby` → `rollup` of row numbers),
 * groups in first-seen order, rows in table order: `[keyObject, rowIndices]` pairs. Unlike `array_agg` of a
 * value column it keeps rows whose value is NaN or null, so the caller sees (and can refuse) them.
 */
export function groupIndices(table: aq.ColumnTable, keys: readonly string[]): Array<[Row, number[]]> {
  if (table.numRows() === 0) return [];
  const grouped = table
    .derive({ groupRow: () => op.row_number() - 1 })
    .groupby([...keys])
    .rollup({ groupRows: op.array_agg('groupRow') });
  return (grouped.objects() as Row[]).map((g) => {
    const key: Row = {};
    for (const k of keys) key[k] = g[k];
    return [key, g.groupRows as number[]];
  });
}

/**
 * The points of each series: rows grouped by `keys` plus `x` (arquero `groupby` → `rollup` of row numbers),
 * series in first-seen order, points by `x` ascending, rows in table order: `[keyObject with x, rowIndices]`.
 */
export function seriesPointIndices(table: aq.ColumnTable, keys: readonly string[], x: string): Array<[Row, number[]]> {
  if (table.numRows() === 0) return [];
  const grouped = table
    .derive({ groupRow: () => op.row_number() - 1 })
    .groupby([...keys])
    .derive({ seriesOrder: (r: any) => op.min(r.groupRow) })
    .groupby([...keys, x])
    .rollup({ seriesOrder: (r: any) => op.min(r.seriesOrder), groupRows: op.array_agg('groupRow') })
    .orderby('seriesOrder', x);
  return (grouped.objects() as Row[]).map((g) => {
    const key: Row = {};
    for (const k of [...keys, x]) key[k] = g[k];
    return [key, g.groupRows as number[]];
  });
}

/** The key columns of `keys` that `table` actually has (grouping skips absent ones). */
export function presentKeys(table: aq.ColumnTable, keys: readonly string[]): string[] {
  const names = new Set(table.columnNames());
  return keys.filter((k) => names.has(k));
}

/** Builds an arquero table from row objects with a fixed column order (works for zero rows). */
export function rowsToTable(rows: readonly Row[], columns: readonly string[]): aq.ColumnTable {
  const cols: Record<string, unknown[]> = {};
  for (const c of columns) cols[c] = rows.map((r) => r[c]);
  return aq.table(cols, [...columns]);
}

/** Arithmetic mean of finite entries (NaN when none). */
export function finiteMean(values: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) { s += v; n++; }
  return n ? s / n : NaN;
}

/** Population standard deviation (divides by n, like numpy's default) of finite entries. */
export function finitePopulationStd(values: readonly number[]): number {
  const m = finiteMean(values);
  let s = 0;
  let n = 0;
  for (const v of values) if (Number.isFinite(v)) { s += (v - m) ** 2; n++; }
  return n ? Math.sqrt(s / n) : NaN;
}
