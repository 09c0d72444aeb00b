import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureCacheWriter, cacheKey, cachePath, type CacheMetaInput } from '../cache/index.js';
import { verifyCacheHit } from '../cache/verifyHit.js';
import type { LoadDatasetOptions } from '../datasets/index.js';
import type { ImageDataset } from '../datasets/types.js';
import { Progress, stderrProgress, type ProgressSink } from '../util/progress.js';
import { UsageError, OptionError } from '../util/errors.js';
import { dataDir } from '../util/paths.js';
import { PACKAGE_VERSION } from '../version.js';
import { sameHeads, type FeatureExtractor } from './extractor.js';
import { loadFeatureExtractor, type LoadExtractorOptions } from './load.js';
import { parseShard, shardFileName, shardRange, type ShardSpec } from './shards.js';
import { ExtractionPool } from './workerPool.js';

export interface ExtractFeaturesOptions extends LoadExtractorOptions {
  /** Model source (zoo / registry name, folder, model.json, .onnx) or a loaded extractor. */
  model: string | FeatureExtractor;
  /** Dataset name for src/datasets `loadDataset`, or a dataset already in memory. */
  dataset: string | ImageDataset;
  split: string;
  /** Use only the first `limit` images of the split. */
  limit?: number;
  /** Images per forward pass (default 64). */
  batch?: number;
  /** Write only shard i of N (`"i/N"` or {index, count}) into a shard directory. */
  shard?: string | ShardSpec;
  /** Cache folder (default data/cache). */
  cacheDir?: string;
  /** Recompute even if the cache exists. */
  force?: boolean;
  /** Options for `loadDataset` when `dataset` is a name (root folder, image size for image folders, download). */
  datasetOptions?: LoadDatasetOptions;
  /** Progress sink (default: stderr lines with images/s and ETA). */
  progress?: ProgressSink;
  /**
   * Worker threads running the model, each on its own TF.js backend (default 1: this thread).
   * Only for a `model` given by name or path (TF.js or ONNX); batch boundaries are the same as
   * with one worker, so the features are too.
   */
  workers?: number;
}

export interface ExtractFeaturesResult {
  /** Cache file written or found (for a shard: the shard file). */
  path: string;
  /** Directory of shard files when `shard` was given (reads as one cache once complete). */
  shardDir?: string;
  /** True when the cache already existed, verified, and nothing was computed. */
  hit: boolean;
  /** Why an existing file was not a valid hit and was rebuilt (absent otherwise). */
  rebuilt?: string;
  modelId: string;
  layer: string;
  n: number;
  d: number;
  /** Rows [start, end) of the (limited) split this file holds. */
  rows: { start: number; end: number };
  seconds: number;
  imagesPerSecond: number;
  backend: string;
  /**
   * One result per `extraLayers` entry, in that order (each its own cache file, written from the
   * same forward passes); empty when none were asked for.
   */
  extra: Omit<ExtractFeaturesResult, 'extra'>[];
}

/**
 * Runs a model over a dataset split and writes its features to the feature cache, batch by
 * batch (memory holds one batch of model input at a time besides the dataset). The cache path
 * comes from `cacheKey` (model, weights hash, layer, dataset, split with limit, preprocessing),
 * so an existing file is a hit and nothing is recomputed. With `extraLayers`, every listed layer is
 * read in the same forward passes and written to its own cache file (keyed by its layer); only the
 * layers without a valid cache file are written. With `shard`, writes shard i of N into
 * `<cache stem>/shard-0000i-of-0000N.arrow`; `readShardedCache` reads the directory as one.
 * @example
 * ```ts
 * const train = await extractFeaturesDetailed({ model: 'mobilenetv2-1.4', dataset: 'mnist-digits', split: 'train', limit: 1000 });
 * train.path; // the Arrow cache file
 * ```
 */
export async function extractFeaturesDetailed(opts: ExtractFeaturesOptions): Promise<ExtractFeaturesResult> {
  const batch = opts.batch ?? 64;
  if (!Number.isInteger(batch) || batch < 1) throw new OptionError('batch', `expected a positive integer, got ${batch}`);
  if (opts.limit !== undefined && (!Number.isInteger(opts.limit) || opts.limit < 1)) throw new OptionError('limit', `expected a positive integer, got ${opts.limit}`);
  const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : opts.shard;
  // The model first: a wrong model name fails before a large dataset is read.
  const ownsModel = typeof opts.model === 'string';
  const model = typeof opts.model === 'string' ? await loadFeatureExtractor(opts.model, opts) : opts.model;
  try {
    // Loaded on demand: callers passing images in memory need no dataset readers.
    const ds = typeof opts.dataset === 'string' ? await (await import('../datasets/index.js')).loadDataset(opts.dataset, opts.split as any, opts.datasetOptions) : opts.dataset;
    const total = opts.limit === undefined ? ds.n : Math.min(opts.limit, ds.n);
    const split = opts.limit !== undefined && opts.limit < ds.n ? `${opts.split}[:${total}]` : opts.split;
    // The source image size joins the preprocessing (and so the key): the same folder read at 32 or 256 pixels gives different features.
    const preprocessing = { ...model.preprocessing, sourceImage: [ds.height, ds.width, ds.channels] };
    const dir = opts.cacheDir ?? join(dataDir(), 'cache');
    const rows = shard ? shardRange(total, shard) : { start: 0, end: total };
    const n = rows.end - rows.start;
    const targets = await Promise.all(model.heads.map(async (head) => {
      const key = cacheKey({ model: model.id, weightsHash: model.weightsHash, layer: head.layer, dataset: ds.id, split, preprocessing });
      const whole = cachePath(key, dir);
      const shardDir = shard ? whole.replace(/\.arrow$/, '') : undefined;
      const path = shard ? join(shardDir!, shardFileName(shard)) : whole;
      const base = { path, shardDir, modelId: model.id, layer: head.layer, d: head.d, rows, backend: model.backend };
      let rebuilt: string | undefined;
      if (!opts.force && existsSync(path)) {
        // A hit counts only when the file reads back whole and matches its checksums and this request.
        const problem = await verifyCacheHit(path, { n, d: head.d, modelId: model.id, layer: head.layer });
        if (!problem) return { head, base, hit: true };
        rebuilt = problem;
        process.stderr.write(`extract: rebuilding ${path}: the cached file is not valid (${problem})\n`);
      }
      return { head, base, hit: false, rebuilt };
    }));
    const results = (seconds: number) => targets.map((t) => ({
      ...t.base, hit: t.hit, n, seconds: t.hit ? 0 : seconds, imagesPerSecond: !t.hit && seconds > 0 ? n / seconds : 0, ...(t.rebuilt ? { rebuilt: t.rebuilt } : {}),
    }));
    const finish = (seconds: number): ExtractFeaturesResult => {
      const [first, ...extra] = results(seconds);
      return { ...first, extra };
    };
    const pending = targets.map((t, i) => ({ ...t, index: i })).filter((t) => !t.hit);
    if (!pending.length) return finish(0);

    const size = ds.height * ds.width * ds.channels;
    const workers = opts.workers ?? 1;
    if (!Number.isInteger(workers) || workers < 1) throw new OptionError('workers', `expected a positive integer, got ${workers}`);
    if (workers > 1 && typeof opts.model !== 'string') throw new UsageError('workers > 1 needs the model by name or path (each worker loads its own copy)');
    const pool = workers > 1 ? await ExtractionPool.start(opts.model as string, workers, opts) : undefined;
    if (pool && (pool.info.weightsHash !== model.weightsHash || !sameHeads(pool.info.heads, model.heads))) {
      await pool.close();
      throw new Error(`extraction workers loaded ${pool.info.id} (${pool.info.heads.map((h) => `${h.layer}: d = ${h.d}`).join(', ')}) but this thread has ${model.id} (${model.heads.map((h) => `${h.layer}: d = ${h.d}`).join(', ')})`);
    }
    const metaOf = (layer: string): CacheMetaInput => ({
      modelId: model.id,
      weightsHash: model.weightsHash,
      layer,
      datasetId: ds.id,
      split,
      classNames: ds.classNames,
      preprocessing: preprocessing as unknown as Record<string, unknown>,
      backend: model.backend,
      packageVersion: PACKAGE_VERSION,
      extra: {
        modelFormat: model.format,
        ...(shard ? { shard: { index: shard.index, count: shard.count, rowStart: rows.start, rowEnd: rows.end, totalRows: total } } : {}),
        ...(pool ? { workers } : {}),
      },
    });
    const writers: FeatureCacheWriter[] = [];
    try {
      for (const t of pending) writers.push(await FeatureCacheWriter.open(t.base.path, metaOf(t.head.layer), t.head.d));
    } catch (err) {
      await Promise.allSettled(writers.map((w) => w.abort()));
      if (pool) await pool.close();
      throw err;
    }
    const layersNote = model.heads.length > 1 ? ` (${pending.length} layer${pending.length === 1 ? '' : 's'} of one forward pass)` : '';
    const progress = new Progress(`extract ${model.id} ${ds.id}/${split}${shard ? ` shard ${shard.index}/${shard.count}` : ''}${layersNote}`, n, opts.progress ?? stderrProgress(), 'images');
    const t0 = performance.now();
    const starts: number[] = [];
    for (let s = rows.start; s < rows.end; s += batch) starts.push(s);
    const imagesOf = (s: number) => {
      const e = Math.min(s + batch, rows.end);
      return { images: ds.images.subarray(s * size, e * size), n: e - s, height: ds.height, width: ds.width, channels: ds.channels };
    };
    // With a pool, up to `capacity` batches run ahead; results are written in row order.
    const ahead: Promise<Float32Array[]>[] = [];
    let next = 0;
    const fill = () => {
      while (pool && next < starts.length && ahead.length < pool.capacity) ahead.push(pool.run(imagesOf(starts[next++])));
    };
    try {
      for (const s of starts) {
        const e = Math.min(s + batch, rows.end);
        let outputs: Float32Array[];
        if (pool) {
          fill();
          outputs = await ahead.shift()!;
        } else {
          outputs = await model.extractAll(imagesOf(s));
        }
        const index = new Int32Array(e - s);
        for (let i = 0; i < index.length; i++) index[i] = s + i;
        const labels = ds.labels.slice(s, e);
        for (let j = 0; j < pending.length; j++) await writers[j].append({ features: outputs[pending[j].index], labels, index });
        progress.tick(e - s);
      }
      for (const w of writers) await w.close();
    } catch (err) {
      await Promise.allSettled(ahead);
      await Promise.allSettled(writers.map((w) => w.abort()));
      throw err;
    } finally {
      if (pool) await pool.close();
    }
    return finish((performance.now() - t0) / 1000);
  } finally {
    if (ownsModel) await model.dispose();
  }
}

/**
 * {@link extractFeaturesDetailed}, returning only the cache path (file, or shard file with `shard`).
 * @example
 * ```ts
 * const path = await extractFeatures({ model: 'resnet', dataset: 'fashion-mnist', split: 'test' });
 * ```
 */
export async function extractFeatures(opts: ExtractFeaturesOptions): Promise<string> {
  return (await extractFeaturesDetailed(opts)).path;
}
