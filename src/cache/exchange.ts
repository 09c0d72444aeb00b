// Moving caches to and from NumPy: the file set `PREFIX.features.npy` (float32 n×d, C order),
// `PREFIX.labels.npy` (int32 n), `PREFIX.index.npy` (int32 n) and `PREFIX.meta.json`.
import { readFile } from 'node:fs/promises';
import { FileFormatError, UsageError } from '../util/errors.js';
import { Progress, type ProgressSink } from '../util/progress.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import type { CacheMeta, CacheMetaInput } from './meta.js';
import { NpyWriter, readNpyFeatures, readNpyLabels } from './npy.js';
import { withFeatureCache } from './reader.js';
import { writeFeatureCache } from './writer.js';
import { checkLabelValues, firstNonFinite } from './validate.js';

/** Paths of the files {@link exportFeatureCache} writes for `prefix`. */
export function exportPaths(prefix: string): { features: string; labels: string; index: string; meta: string } {
  return { features: `${prefix}.features.npy`, labels: `${prefix}.labels.npy`, index: `${prefix}.index.npy`, meta: `${prefix}.meta.json` };
}

/**
 * Writes a cache's features (float32 n×d C order, the cache's own bytes), labels and index
 * (int32) as .npy files plus its metadata as JSON, streaming record batch by record batch
 * (memory: one batch plus labels and index). Each file is written atomically.
 */
export async function exportFeatureCache(cachePath: string, prefix: string, progress?: ProgressSink): Promise<{ paths: ReturnType<typeof exportPaths>; meta: CacheMeta }> {
  const paths = exportPaths(prefix);
  return withFeatureCache(cachePath, async (cache) => {
    const { n, d } = cache;
    const writer = await NpyWriter.open(paths.features, '<f4', [n, d]);
    const labels = new Int32Array(n);
    const index = new Int32Array(n);
    const p = progress ? new Progress(`export ${cachePath}`, n, progress, 'rows') : undefined;
    try {
      for await (const chunk of cache.batches()) {
        await writer.write(chunk.features.data);
        labels.set(chunk.labels, chunk.start);
        index.set(chunk.index, chunk.start);
        p?.tick(chunk.features.n);
      }
      await writer.close();
    } catch (err) {
      await writer.abort();
      throw err;
    }
    const lw = await NpyWriter.open(paths.labels, '<i4', [n]);
    await lw.write(labels);
    await lw.close();
    const iw = await NpyWriter.open(paths.index, '<i4', [n]);
    await iw.write(index);
    await iw.close();
    await writeFileAtomic(paths.meta, `${JSON.stringify(cache.meta, null, 2)}\n`);
    return { paths, meta: cache.meta };
  });
}

/** What {@link importFeatureCache} reads. */
export interface ImportSources {
  /** 2-D float32/float16 .npy (n, d). */
  features: string;
  /** 1-D int32/int64 .npy (n,). */
  labels: string;
  /** Optional 1-D int32/int64 .npy (n,) of source rows (default 0..n-1). */
  index?: string;
  /** Optional metadata JSON (as `exportFeatureCache` writes); its n/d must match the arrays. */
  metaFile?: string;
}

/** Reads a metadata JSON file; fields the writer sets itself (n, d, formatVersion, createdAt) are checked or dropped. */
export async function readMetaJson(path: string): Promise<CacheMetaInput & { n?: number; d?: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err: any) {
    if (err?.code === 'ENOENT') throw new FileFormatError(path, 'no such file');
    throw err;
  }
  let obj: unknown;
  try {
    obj = JSON.parse(text);
  } catch (err: any) {
    throw new FileFormatError(path, `not valid JSON (${err.message})`);
  }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new FileFormatError(path, 'expected a JSON object of cache metadata');
  const { formatVersion: _v, createdAt: _c, packageVersion: _p, ...rest } = obj as Record<string, unknown>;
  return rest as CacheMetaInput & { n?: number; d?: number };
}

/**
 * Builds a cache from .npy files (e.g. features saved from PyTorch): features must be (n, d)
 * float32/float16, labels (n,) int32/int64, the same n. Metadata: `metaFile` first, then
 * `meta` on top. Atomic write; memory ≈ the float32 feature bytes.
 * @example
 * ```ts
 * await importFeatureCache('data/cache/byo-train.arrow', { features: 'x.npy', labels: 'y.npy' }, { modelId: 'byo', split: 'train' });
 * ```
 */
export async function importFeatureCache(out: string, src: ImportSources, meta: CacheMetaInput = {}, opts: { progress?: ProgressSink } = {}): Promise<CacheMeta> {
  const features = await readNpyFeatures(src.features);
  const labels = await readNpyLabels(src.labels);
  if (labels.length !== features.n) {
    throw new UsageError(`label count mismatch: ${src.labels} has ${labels.length} labels but ${src.features} has ${features.n} rows`);
  }
  let index: Int32Array | undefined;
  if (src.index) {
    index = await readNpyLabels(src.index);
    if (index.length !== features.n) throw new UsageError(`index count mismatch: ${src.index} has ${index.length} values but ${src.features} has ${features.n} rows`);
  }
  let base: CacheMetaInput = {};
  if (src.metaFile) {
    const { n, d, ...rest } = await readMetaJson(src.metaFile);
    if (n !== undefined && n !== features.n) throw new UsageError(`${src.metaFile} says n=${n} but ${src.features} has ${features.n} rows`);
    if (d !== undefined && d !== features.d) throw new UsageError(`${src.metaFile} says d=${d} but ${src.features} has ${features.d} columns`);
    base = rest;
  }
  const merged: CacheMetaInput = { ...base, ...meta, extra: { ...(base.extra ?? {}), ...(meta.extra ?? {}) } };
  // Checked against the source files, so the error names the .npy the bad value came from.
  const bad = firstNonFinite(features.data);
  if (bad >= 0) throw new FileFormatError(src.features, `row ${Math.floor(bad / features.d)}, column ${bad % features.d}: value ${features.data[bad]} is not finite; feature caches hold finite numbers only`);
  checkLabelValues(src.labels, labels, 0, merged.classNames?.length ?? 0);
  return writeFeatureCache(out, { features, labels, index }, merged, { progress: opts.progress });
}
