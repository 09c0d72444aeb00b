// Combining sweep results files computed from the same inputs, e.g. the N shards of one grid.
import { canonicalJson } from '../cache/key.js';
import { rowsToTable } from '../summary/groups.js';
import { FileFormatError, UsageError, OptionError } from '../util/errors.js';
import { requireFile } from '../util/fsErrors.js';
import { writeArrowTable } from './arrowIo.js';
import { readSweepResults, SWEEP_COLUMNS } from './engine.js';
import { identityDifferences, readSweepFileMeta, sweepMetadata, type SweepFileMeta } from './identity.js';

/** What {@link mergeSweepResults} wrote. */
export interface MergeOutcome {
  rows: number;
  meta: SweepFileMeta;
}

function cellKey(r: Record<string, unknown>): string {
  return `${String(r.selection)}|${Number(r.fraction).toPrecision(12)}|${r.seed ?? 'null'}|${String(r.probe)}|${String(r.config)}`;
}

/**
 * Merges sweep results `files` into `out` (atomic write). All files must record the same identity
 * (inputs and settings, see {@link identityDifferences}; the shard aside) and the same grid. When
 * they are shards, they must be exactly 0/N … N-1/N, each complete (as many rows as its slice
 * planned). Rows are ordered as the unsharded sweep orders them (selection, fraction, seed,
 * probe in the grid's order); a cell present twice must have the same accuracy. Throws a
 * UsageError naming the files and differences, a FileFormatError for a file without identity.
 * @example
 * ```ts
 * mergeSweepResults(['shard-0.arrow', 'shard-1.arrow'], 'sweep.arrow');
 * ```
 */
export function mergeSweepResults(files: readonly string[], out: string): MergeOutcome {
  if (!files.length) throw new UsageError('merge: give the results files to merge (FILE.arrow ...)');
  if (!out) throw new OptionError('out', 'expected a file name, got an empty string');
  const metas: SweepFileMeta[] = [];
  for (const f of files) {
    requireFile(f);
    const m = readSweepFileMeta(f);
    if (!m) throw new FileFormatError(f, 'does not record which inputs its results came from (written by an older version); it cannot be merged safely');
    metas.push(m);
  }
  const first = metas[0];
  for (let i = 1; i < files.length; i++) {
    const diffs = identityDifferences(first.identity, metas[i].identity, true);
    if (diffs.length) throw new UsageError(`merge: ${files[0]} and ${files[i]} come from different inputs or settings (${files[0]} vs ${files[i]}): ${diffs.join('; ')}`);
    for (const k of ['selections', 'probes', 'seeds'] as const) {
      if (canonicalJson(first.plan[k]) !== canonicalJson(metas[i].plan[k])) {
        throw new UsageError(`merge: ${files[0]} and ${files[i]} were planned from different grids (${k}: ${canonicalJson(first.plan[k])} vs ${canonicalJson(metas[i].plan[k])})`);
      }
    }
  }
  const shards = metas.map((m) => m.identity.shard);
  const tables = files.map((f) => readSweepResults(f));
  if (shards.some((s) => s !== null)) {
    const count = shards.find((s) => s !== null)!.count;
    const seen = new Map<number, string>();
    shards.forEach((s, i) => {
      if (s === null || s.count !== count) throw new UsageError(`merge: ${files[i]} is ${s ? `shard ${s.index}/${s.count}` : 'not a shard'}, but ${files[shards.findIndex((x) => x !== null)]} is one of ${count} shards`);
      if (seen.has(s.index)) throw new UsageError(`merge: shard ${s.index}/${count} given twice (${seen.get(s.index)} and ${files[i]})`);
      seen.set(s.index, files[i]);
      if (tables[i].numRows() < metas[i].plan.planned) {
        throw new UsageError(`merge: ${files[i]} (shard ${s.index}/${count}) is incomplete: ${tables[i].numRows()} of ${metas[i].plan.planned} rows; resume that shard first (the same sweep with its shard)`);
      }
    });
    const missing = Array.from({ length: count }, (_, i) => i).filter((i) => !seen.has(i));
    if (missing.length) throw new UsageError(`merge: shard(s) ${missing.map((i) => `${i}/${count}`).join(', ')} missing`);
  }
  const byKey = new Map<string, { row: Record<string, unknown>; file: string }>();
  tables.forEach((t, i) => {
    for (const row of t.objects() as Record<string, unknown>[]) {
      const key = cellKey(row);
      const had = byKey.get(key);
      if (had && had.row.accuracy !== row.accuracy) {
        throw new UsageError(`merge: cell ${key} has accuracy ${String(had.row.accuracy)} in ${had.file} but ${String(row.accuracy)} in ${files[i]}`);
      }
      if (!had) byKey.set(key, { row: { ...row, perClassAccuracy: Array.from(row.perClassAccuracy as ArrayLike<number>) }, file: files[i] });
    }
  });
  const { selections, probes, seeds } = first.plan;
  const rank = (list: readonly unknown[], v: unknown) => { const i = list.indexOf(v); return i < 0 ? list.length : i; };
  const rows = [...byKey.values()].map((x) => x.row).sort((a, b) =>
    rank(selections, a.selection) - rank(selections, b.selection)
    || Number(a.fraction) - Number(b.fraction)
    || (a.seed === null ? -1 : rank(seeds, a.seed)) - (b.seed === null ? -1 : rank(seeds, b.seed))
    || rank(probes, a.probe) - rank(probes, b.probe)
    || String(a.config).localeCompare(String(b.config)));
  const meta: SweepFileMeta = { formatVersion: 1, identity: { ...first.identity, shard: null }, plan: { ...first.plan, planned: rows.length } };
  // Columns: the sweep's, then any others the files carry, in the first file's order.
  const extra = tables[0].columnNames().filter((c) => !(SWEEP_COLUMNS as readonly string[]).includes(c));
  writeArrowTable(out, rowsToTable(rows, [...SWEEP_COLUMNS, ...extra] as any), sweepMetadata(meta));
  return { rows: rows.length, meta };
}
