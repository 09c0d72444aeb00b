import { FileFormatError } from '../util/errors.js';
import { PACKAGE_VERSION } from '../version.js';
import { isCacheChecksums, type CacheChecksums } from './checksum.js';

/** Version of the cache layout (schema + metadata). Readers reject any other value. */
export const CACHE_FORMAT_VERSION = 1;

/** Schema-metadata key under which the cache's JSON metadata is stored. */
export const CACHE_METADATA_KEY = 'diffused_redundancy';

/** What a feature cache file says about itself (stored as JSON in the Arrow schema metadata). */
export interface CacheMeta {
  /** {@link CACHE_FORMAT_VERSION} at write time. */
  formatVersion: number;
  /** Model identifier (zoo name, file, or `synthetic`). */
  modelId: string;
  /** Hash of the model weights ('' when unknown). */
  weightsHash: string;
  /** Layer the features come from (e.g. `penultimate`). */
  layer: string;
  /** Dataset identifier (e.g. `fashion-mnist`). */
  datasetId: string;
  /** Split name, possibly with a row limit (e.g. `train[:1000]`). */
  split: string;
  /** Class names indexed by label ([] when unknown). */
  classNames: string[];
  /** Preprocessing applied to the inputs before the model (free-form). */
  preprocessing: Record<string, unknown>;
  /** Number of rows (examples). */
  n: number;
  /** Number of neurons per row. */
  d: number;
  /** Compute backend that produced the features (e.g. `wasm`, `pytorch`, `synthetic`). */
  backend: string;
  /** Version of this package that wrote the file. */
  packageVersion: string;
  /** ISO-8601 time the write started. */
  createdAt: string;
  /** Anything else (e.g. `--meta k=v` pairs from `dr import`, synthetic-generator parameters). */
  extra: Record<string, unknown>;
  /**
   * CRC-32 of the feature, label and index data, set by the writer at close; null in files
   * written before checksums existed or by other tools (read with a warning, see README).
   */
  checksums: CacheChecksums | null;
}

/** The meta fields a writer's caller may give; n, d, formatVersion and createdAt are filled in. */
export type CacheMetaInput = Partial<Omit<CacheMeta, 'n' | 'd' | 'formatVersion' | 'checksums'>>;

/** Fills defaults for the descriptive fields and sets d, format version, package version, time. */
export function completeCacheMeta(input: CacheMetaInput, d: number, n = 0): CacheMeta {
  return {
    formatVersion: CACHE_FORMAT_VERSION,
    modelId: input.modelId ?? '',
    weightsHash: input.weightsHash ?? '',
    layer: input.layer ?? '',
    datasetId: input.datasetId ?? '',
    split: input.split ?? '',
    classNames: input.classNames ? [...input.classNames] : [],
    preprocessing: input.preprocessing ?? {},
    n,
    d,
    backend: input.backend ?? '',
    packageVersion: input.packageVersion ?? PACKAGE_VERSION,
    createdAt: input.createdAt ?? new Date().toISOString(),
    extra: input.extra ?? {},
    checksums: null,
  };
}

/** Width reserved for the row count in the header so it can be patched in place at close. */
export const N_FIELD_WIDTH = 20;

/** Width reserved for the checksums JSON right after n, patched in place at close like n. */
export const CHECKSUM_FIELD_WIDTH = 96;

/**
 * The fixed-width text after {@link nFieldPrefix}: padded n, then `,"checksums":` and the padded
 * checksums JSON (`null` while unknown). A streaming writer overwrites exactly these bytes at close.
 */
export function patchableMetaText(n: number | null, checksums: CacheChecksums | null): string {
  const nText = n === null ? 'null' : String(n);
  if (nText.length > N_FIELD_WIDTH) throw new RangeError(`cache meta: n=${n} does not fit ${N_FIELD_WIDTH} characters`);
  const cs = JSON.stringify(checksums);
  if (cs.length > CHECKSUM_FIELD_WIDTH) throw new RangeError(`cache meta: checksums JSON longer than ${CHECKSUM_FIELD_WIDTH} characters`);
  return `${nText.padEnd(N_FIELD_WIDTH)},"checksums":${cs.padEnd(CHECKSUM_FIELD_WIDTH)}`;
}

/**
 * Serialises meta as JSON with `formatVersion` first and `n` second, the value of `n` padded
 * with spaces to {@link N_FIELD_WIDTH} characters. JSON allows the spaces, and the fixed width
 * lets a streaming writer rewrite `n` in the already-written header without moving any byte.
 * `n = null` writes the placeholder used while the row count is still unknown. The checksums
 * follow n in a fixed width too ({@link patchableMetaText}).
 */
export function encodeCacheMeta(meta: CacheMeta, n: number | null = meta.n, checksums: CacheChecksums | null = n === null ? null : meta.checksums): string {
  const { formatVersion, n: _n, checksums: _c, ...rest } = meta;
  const body = JSON.stringify(rest);
  return `{"formatVersion":${JSON.stringify(formatVersion)},"n":${patchableMetaText(n, checksums)},${body.slice(1)}`;
}

/** The exact text that precedes the padded `n` value in {@link encodeCacheMeta}'s output. */
export function nFieldPrefix(formatVersion = CACHE_FORMAT_VERSION): string {
  return `{"formatVersion":${JSON.stringify(formatVersion)},"n":`;
}

function expectType(file: string, obj: Record<string, unknown>, key: string, kind: 'string' | 'object' | 'array'): void {
  const v = obj[key];
  if (v === undefined) return;
  const ok = kind === 'array' ? Array.isArray(v) : kind === 'object' ? typeof v === 'object' && v !== null && !Array.isArray(v) : typeof v === kind;
  if (!ok) throw new FileFormatError(file, `cache metadata field '${key}' should be ${kind === 'array' ? 'an array' : `a ${kind}`}, got ${JSON.stringify(v)}`);
}

/**
 * Parses and checks the metadata JSON of `file`: it must be a JSON object whose
 * `formatVersion` equals {@link CACHE_FORMAT_VERSION} and whose `n`, `d` are non-negative
 * integers. Missing descriptive fields get defaults; present ones must have the right type.
 */
export function parseCacheMeta(file: string, text: string | undefined): CacheMeta {
  if (text === undefined) {
    throw new FileFormatError(file, `missing schema metadata key '${CACHE_METADATA_KEY}': not a diffused-redundancy feature cache`);
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err: any) {
    throw new FileFormatError(file, `schema metadata '${CACHE_METADATA_KEY}' is not valid JSON (${err.message})`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    throw new FileFormatError(file, `schema metadata '${CACHE_METADATA_KEY}' should be a JSON object`);
  }
  const m = obj as Record<string, unknown>;
  if (m.formatVersion === undefined) {
    throw new FileFormatError(file, `cache metadata has no formatVersion (expected ${CACHE_FORMAT_VERSION})`);
  }
  if (m.formatVersion !== CACHE_FORMAT_VERSION) {
    throw new FileFormatError(file, `unsupported cache formatVersion ${JSON.stringify(m.formatVersion)} (this package reads version ${CACHE_FORMAT_VERSION})`);
  }
  for (const k of ['n', 'd'] as const) {
    const v = m[k];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < (k === 'd' ? 1 : 0)) {
      throw new FileFormatError(file, `cache metadata field '${k}' should be a ${k === 'd' ? 'positive' : 'non-negative'} integer, got ${JSON.stringify(v)}`);
    }
  }
  for (const k of ['modelId', 'weightsHash', 'layer', 'datasetId', 'split', 'backend', 'packageVersion', 'createdAt']) expectType(file, m, k, 'string');
  expectType(file, m, 'classNames', 'array');
  expectType(file, m, 'preprocessing', 'object');
  expectType(file, m, 'extra', 'object');
  if (m.checksums !== undefined && m.checksums !== null && !isCacheChecksums(m.checksums)) {
    throw new FileFormatError(file, `cache metadata field 'checksums' should be {algorithm: "crc32", features, labels, index: 8 hex digits}, got ${JSON.stringify(m.checksums)}`);
  }
  const meta = completeCacheMeta(m as CacheMetaInput, m.d as number, m.n as number);
  meta.checksums = (m.checksums as CacheChecksums | undefined) ?? null;
  meta.packageVersion = (m.packageVersion as string | undefined) ?? '';
  meta.createdAt = (m.createdAt as string | undefined) ?? '';
  return meta;
}
