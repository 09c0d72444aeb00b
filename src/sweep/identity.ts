// What a sweep results file was computed from, stored in its Arrow schema metadata, so a resume
// or a merge can refuse results of other inputs instead of reporting them.
import { tableFromIPC } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { RunningCrc32 } from '../cache/checksum.js';
import { canonicalJson } from '../cache/key.js';
import type { CacheMeta } from '../cache/meta.js';
import type { ShardSpec } from '../models/shards.js';
import type { FeatureBlock } from '../types.js';
import { FileFormatError, OptionError } from '../util/errors.js';

/** Schema-metadata key of a sweep results file holding {@link SweepFileMeta} as JSON. */
export const SWEEP_METADATA_KEY = 'diffused_redundancy_sweep';

/** What a split says it is: the cache metadata fields (see {@link CacheMeta}) that decide a probe's result. */
type DescribedAs = Pick<CacheMeta, 'modelId' | 'weightsHash' | 'layer' | 'datasetId' | 'split' | 'classNames'>;

/** Identity of one split: its content (n, d, CRC-32 of the feature and label bytes) and what it says it is. */
export interface SplitIdentity extends DescribedAs {
  /** File it was read from (named in errors; not compared: a moved file is the same input). */
  file: string | null;
  n: number;
  d: number;
  /** CRC-32 (8 hex digits) of the n×d float32 features as stored, row-major. */
  features: string;
  /** CRC-32 of the n int32 labels. */
  labels: string;
  /** As recorded in the cache; compared as canonical JSON (a file's metadata may hold any JSON here). */
  preprocessing: unknown;
}

/** Everything besides a cell's own key that decides its result. */
export interface SweepIdentity {
  train: SplitIdentity;
  test: SplitIdentity;
  /** Generator of random subsets (`ours` | `torch`): not in the cell key, so part of the identity. */
  rng: string;
  /** Model and dataset labels written in the rows. */
  model: string;
  dataset: string;
  /** Train/test differences accepted with --allow-mismatch ([] when the pair matched). */
  allowedMismatch: string[];
  /** Which slice of the grid this file holds (null: all of it). */
  shard: ShardSpec | null;
}

/** The grid a file was planned from, for merging shards in the unsharded order and checking completeness. */
export interface SweepPlan {
  selections: string[];
  probes: string[];
  seeds: number[];
  /** Rows (cell × probe) of the grid or slice planned by the last run writing the file. */
  planned: number;
}

/** Stored as JSON under {@link SWEEP_METADATA_KEY}. */
export interface SweepFileMeta {
  formatVersion: 1;
  identity: SweepIdentity;
  plan: SweepPlan;
}

/** The split fields {@link splitIdentity} reads. */
export interface IdentifiableSplit {
  features: FeatureBlock;
  labels: Int32Array;
  path?: string;
  meta?: Partial<Record<'modelId' | 'weightsHash' | 'layer' | 'datasetId' | 'split', string>> & { classNames?: string[]; preprocessing?: unknown };
}

/** Identity of a loaded split (one pass over its bytes, far cheaper than the probes). */
export function splitIdentity(s: IdentifiableSplit): SplitIdentity {
  const f = new RunningCrc32();
  f.update(s.features.data.subarray(0, s.features.n * s.features.d));
  const l = new RunningCrc32();
  l.update(s.labels);
  const m = s.meta ?? {};
  return {
    file: s.path ?? null, n: s.features.n, d: s.features.d, features: f.hex(), labels: l.hex(),
    modelId: m.modelId ?? '', weightsHash: m.weightsHash ?? '', layer: m.layer ?? '', datasetId: m.datasetId ?? '',
    split: m.split ?? '', classNames: m.classNames ?? [], preprocessing: m.preprocessing ?? {},
  };
}

const SPLIT_FIELDS = ['n', 'd', 'features', 'labels', 'modelId', 'weightsHash', 'layer', 'datasetId', 'split', 'classNames', 'preprocessing'] as const;

/**
 * What differs between two identities, one line per field: `train n: 60000 vs 1000`. The file
 * names are not compared. `ignoreShard` leaves the shard out (for merging).
 */
export function identityDifferences(a: SweepIdentity, b: SweepIdentity, ignoreShard = false): string[] {
  const out: string[] = [];
  for (const side of ['train', 'test'] as const) {
    for (const k of SPLIT_FIELDS) {
      const x = canonicalJson(a[side][k]);
      const y = canonicalJson(b[side][k]);
      if (x !== y) out.push(`${side} ${k === 'features' || k === 'labels' ? `${k} checksum` : k}: ${x} vs ${y}`);
    }
  }
  for (const k of ['rng', 'model', 'dataset', 'allowedMismatch', ...(ignoreShard ? [] : ['shard'])] as const) {
    const x = canonicalJson(a[k as keyof SweepIdentity]);
    const y = canonicalJson(b[k as keyof SweepIdentity]);
    if (x !== y) out.push(`${k}: ${x} vs ${y}`);
  }
  return out;
}

/**
 * The {@link SweepFileMeta} stored in a results file, or undefined when the file has none (written
 * before results files recorded their inputs). Throws a FileFormatError when it is malformed.
 */
export function readSweepFileMeta(path: string): SweepFileMeta | undefined {
  const bytes = readFileSync(path);
  let text: string | undefined;
  try {
    text = tableFromIPC(bytes).schema.metadata.get(SWEEP_METADATA_KEY);
  } catch (err: any) {
    throw new FileFormatError(path, `not a readable Arrow IPC file (${err?.message ?? String(err)})`);
  }
  if (text === undefined) return undefined;
  let v: any;
  try {
    v = JSON.parse(text);
  } catch {
    throw new FileFormatError(path, `schema metadata '${SWEEP_METADATA_KEY}' is not valid JSON`);
  }
  if (v?.formatVersion !== 1 || typeof v.identity !== 'object' || typeof v.plan !== 'object') {
    throw new FileFormatError(path, `schema metadata '${SWEEP_METADATA_KEY}' is not a sweep identity of format version 1`);
  }
  return v as SweepFileMeta;
}

/** The metadata map to write with a results table. */
export function sweepMetadata(meta: SweepFileMeta): Map<string, string> {
  return new Map([[SWEEP_METADATA_KEY, JSON.stringify(meta)]]);
}

/**
 * Checks that the results file `out` (existing) was computed from `identity`; throws a UsageError
 * naming the file, the current train/test files and every difference. A file without a
 * recorded identity (older version) cannot be trusted either. `force` is the way out.
 */
export function checkResumeIdentity(out: string, identity: SweepIdentity): SweepFileMeta {
  const stored = readSweepFileMeta(out);
  const inputs = `train ${identity.train.file ?? '(in memory)'} / test ${identity.test.file ?? '(in memory)'}`;
  if (!stored) {
    throw new OptionError('out', `${out} does not record which inputs its results came from (written by an older version), so it cannot be resumed with ${inputs}; set \`force\` to start over, or another \`out\``);
  }
  const diffs = identityDifferences(stored.identity, identity);
  if (diffs.length) {
    const was = `${stored.identity.train.file ?? '(in memory)'} / ${stored.identity.test.file ?? '(in memory)'}`;
    throw new OptionError('out', `${out} holds results of other inputs or settings (stored: ${was}; now: ${inputs}); differences (stored vs now): ${diffs.join('; ')}. Set \`force\` to start over, or another \`out\``);
  }
  return stored;
}
