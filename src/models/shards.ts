import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatureCache, type FeatureCacheData } from '../cache/index.js';
import { FileFormatError, OptionError } from '../util/errors.js';

/** Shard `index` (0-based) of `count` equal contiguous parts of a split. */
export interface ShardSpec {
  index: number;
  count: number;
}

/** Parses `i/N` (0 ≤ i < N, as in a 0-based scheduler array index); throws a UsageError otherwise. */
export function parseShard(text: string): ShardSpec {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new OptionError('shard', `expected i/N (e.g. 0/4), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count) throw new OptionError('shard', `need 0 <= i < N, got ${index}/${count}`);
  return { index, count };
}

/** Rows [start, end) of shard i of N over n rows: start = floor(i·n/N), so shard sizes differ by at most one. */
export function shardRange(n: number, shard: ShardSpec): { start: number; end: number } {
  return { start: Math.floor((shard.index * n) / shard.count), end: Math.floor(((shard.index + 1) * n) / shard.count) };
}

/** File name of one shard inside a sharded cache directory: `shard-00002-of-00008.arrow`. */
export function shardFileName(shard: ShardSpec): string {
  const pad = (v: number) => String(v).padStart(5, '0');
  return `shard-${pad(shard.index)}-of-${pad(shard.count)}.arrow`;
}

const SHARD_RE = /^shard-(\d+)-of-(\d+)\.arrow$/;

/** Shard files present in `dir`, with the N they declare, sorted by index. */
export function listShardFiles(dir: string): { file: string; index: number; count: number }[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return [];
  return readdirSync(dir)
    .map((f) => ({ f, m: SHARD_RE.exec(f) }))
    .filter((x) => x.m)
    .map((x) => ({ file: join(dir, x.f), index: Number(x.m![1]), count: Number(x.m![2]) }))
    .sort((a, b) => a.index - b.index);
}

/** True when `dir` holds every shard 0..N-1 of one N. */
export function isCompleteShardDir(dir: string): boolean {
  const files = listShardFiles(dir);
  if (!files.length) return false;
  const n = files[0].count;
  return files.length === n && files.every((f, i) => f.index === i && f.count === n);
}

/**
 * Reads a directory of shard files (plain Arrow feature caches, one per shard) as one cache:
 * rows concatenated in shard order, which is dataset order because shards are contiguous.
 * Checks that all N shards are present and agree on model, weights, layer, dataset, split
 * and width. `meta.n` is the total; `meta.extra.shards` = N.
 */
export async function readShardedCache(dir: string): Promise<FeatureCacheData> {
  const files = listShardFiles(dir);
  if (!files.length) throw new FileFormatError(dir, 'no shard-*-of-*.arrow files');
  const count = files[0].count;
  const missing = [];
  for (let i = 0; i < count; i++) if (!files.some((f) => f.index === i && f.count === count)) missing.push(i);
  if (missing.length || files.length !== count) {
    throw new FileFormatError(dir, `incomplete sharded cache: expected shards 0..${count - 1} of ${count}, missing ${missing.join(', ') || 'none'}${files.length !== count ? ` (found ${files.length} files, some with a different N)` : ''}`);
  }
  const parts: FeatureCacheData[] = [];
  for (const f of files) parts.push(await readFeatureCache(f.file));
  const first = parts[0];
  for (const [i, p] of parts.entries()) {
    for (const k of ['modelId', 'weightsHash', 'layer', 'datasetId', 'split'] as const) {
      if (p.meta[k] !== first.meta[k]) throw new FileFormatError(files[i].file, `${k} '${p.meta[k]}' differs from shard 0's '${first.meta[k]}'`);
    }
    if (p.features.d !== first.features.d) throw new FileFormatError(files[i].file, `width ${p.features.d} differs from shard 0's ${first.features.d}`);
  }
  const d = first.features.d;
  const n = parts.reduce((s, p) => s + p.features.n, 0);
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  const index = new Int32Array(n);
  let row = 0;
  for (const p of parts) {
    data.set(p.features.data, row * d);
    labels.set(p.labels, row);
    index.set(p.index, row);
    row += p.features.n;
  }
  return {
    features: { data, n, d },
    labels,
    index,
    meta: { ...first.meta, n, d, extra: { ...(first.meta.extra ?? {}), shards: count } },
    path: dir,
  };
}
