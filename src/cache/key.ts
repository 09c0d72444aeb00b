import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { dataDir } from '../util/paths.js';

/** What identifies one feature cache: the same key always maps to the same file. */
export interface CacheKeyInput {
  /** Model id (zoo name, file name …). */
  model: string;
  /** Hash of the weights; part of the hash so retrained weights get a new file. */
  weightsHash?: string;
  layer: string;
  dataset: string;
  split: string;
  /** Preprocessing description (object or string); part of the hash. */
  preprocessing?: unknown;
}

/** A cache key: readable slug, 10-hex sha256 of the full key, and the file name `<slug>-<hash>.arrow`. */
export interface CacheKey {
  slug: string;
  hash: string;
  fileName: string;
}

/** JSON with object keys sorted at every level, so equal keys hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

function slugPart(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9.]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * Cache key of (model, weights hash, layer, dataset, split, preprocessing): a readable slug of
 * model, layer, dataset and split (lower case, non-alphanumerics → '-', at most 80 characters)
 * and the first 10 hex digits of the sha256 of the canonical JSON of the whole key.
 */
export function cacheKey(input: CacheKeyInput): CacheKey {
  for (const k of ['model', 'layer', 'dataset', 'split'] as const) {
    if (typeof input[k] !== 'string' || input[k] === '') throw new TypeError(`cacheKey: '${k}' must be a non-empty string`);
  }
  const slug = [input.model, input.layer, input.dataset, input.split].map(slugPart).filter(Boolean).join('-').slice(0, 80).replace(/-+$/, '') || 'cache';
  const canonical = canonicalJson({
    model: input.model,
    weightsHash: input.weightsHash ?? '',
    layer: input.layer,
    dataset: input.dataset,
    split: input.split,
    preprocessing: input.preprocessing ?? null,
  });
  const hash = createHash('sha256').update(canonical).digest('hex').slice(0, 10);
  return { slug, hash, fileName: `${slug}-${hash}.arrow` };
}

/** Path of a cache file: `<dir>/<slug>-<hash>.arrow`, dir defaulting to `data/cache`. */
export function cachePath(key: CacheKey, dir: string = join(dataDir(), 'cache')): string {
  return join(dir, key.fileName);
}
