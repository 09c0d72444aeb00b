import * as aq from 'arquero';
import type { CacheMeta } from './meta.js';

/** What {@link cacheTable} needs: labels, source-row index and metadata (e.g. a FeatureCacheData). */
export interface CacheTableInput {
  labels: Int32Array;
  index: Int32Array;
  meta: CacheMeta;
}

/**
 * An arquero table with one row per cache row: `row` (0..n-1), `label`, `index` (row in the
 * source split) and `className` (from meta.classNames, '' when unknown). The label and index
 * columns are the Int32Arrays themselves (no copy).
 * @example
 * ```ts
 * showTable(cacheTable(train).slice(0, 5));
 * ```
 */
export function cacheTable(input: CacheTableInput): any {
  const { labels, index, meta } = input;
  const n = labels.length;
  const row = new Int32Array(n);
  for (let i = 0; i < n; i++) row[i] = i;
  const names = meta.classNames;
  const className = Array.from(labels, (l) => names[l] ?? '');
  return aq.table({ row, label: labels, index, className });
}

/** An arquero table of the metadata: one row per field, columns `key` and `value` (JSON text for non-strings). */
export function cacheMetaTable(meta: CacheMeta): any {
  const entries = Object.entries(meta);
  return aq.table({
    key: entries.map(([k]) => k),
    value: entries.map(([, v]) => (typeof v === 'string' ? v : JSON.stringify(v))),
  });
}

/** Rows per label value, as a plain object `{label: count}` sorted by label. */
export function labelCounts(labels: Int32Array): Record<string, number> {
  const counts = new Map<number, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  const out: Record<string, number> = {};
  for (const k of [...counts.keys()].sort((a, b) => a - b)) out[String(k)] = counts.get(k)!;
  return out;
}
