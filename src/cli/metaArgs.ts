import { UsageError } from '../util/errors.js';
import type { CacheMetaInput } from '../cache/meta.js';

/** Metadata fields `--meta key=value` may set directly (anything else goes under `extra`). */
export const META_STRING_KEYS = ['modelId', 'weightsHash', 'layer', 'datasetId', 'split', 'backend'] as const;

/**
 * Turns `key=value` pairs into cache metadata: modelId, weightsHash, layer, datasetId, split,
 * backend as strings; `classNames` as a JSON array or a comma-separated list; `preprocessing`
 * as a JSON object; every other key into `extra[key]` (string value). Later pairs win.
 * Throws a UsageError naming the pair when it has no '=' or a value does not parse.
 */
export function parseMetaPairs(pairs: readonly string[], base: CacheMetaInput = {}): CacheMetaInput {
  const meta: CacheMetaInput = { ...base, extra: { ...(base.extra ?? {}) } };
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--meta: expected key=value, got '${pair}'`);
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1);
    if ((META_STRING_KEYS as readonly string[]).includes(key)) {
      (meta as Record<string, unknown>)[key] = value;
    } else if (key === 'classNames') {
      if (value.trim().startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(value);
        } catch {
          throw new UsageError(`--meta classNames: '${value}' is not a valid JSON array`);
        }
        if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'string')) throw new UsageError('--meta classNames: expected a JSON array of strings');
        meta.classNames = parsed;
      } else {
        meta.classNames = value.split(',').map((s) => s.trim());
      }
    } else if (key === 'preprocessing') {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        throw new UsageError(`--meta preprocessing: expected a JSON object, got '${value}'`);
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError('--meta preprocessing: expected a JSON object');
      meta.preprocessing = parsed as Record<string, unknown>;
    } else if (['n', 'd', 'formatVersion', 'packageVersion', 'createdAt', 'extra'].includes(key)) {
      throw new UsageError(`--meta: '${key}' is set by the writer and cannot be given`);
    } else {
      meta.extra![key] = value;
    }
  }
  return meta;
}
