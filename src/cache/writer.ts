import type { FeatureBlock } from '../types.js';
import { Progress, type ProgressSink } from '../util/progress.js';
import { AtomicFile } from '../util/atomicWrite.js';
import { cacheBodyLayout, EOS, encodeCacheBatchMessage, encodeFooter, encodeSchemaMessage, FILE_HEAD, MAGIC, type BlockInfo } from './ipc.js';
import { CacheChecksummer } from './checksum.js';
import { completeCacheMeta, encodeCacheMeta, nFieldPrefix, patchableMetaText, type CacheMeta, type CacheMetaInput } from './meta.js';
import { checkBatchValues } from './validate.js';
import { featureCacheSchema } from './schema.js';

/** One batch of rows handed to {@link FeatureCacheWriter.append}. */
export interface FeatureCacheBatch {
  /** rows×d row-major Float32Array. */
  features: Float32Array;
  /** One label per row. */
  labels: Int32Array;
  /** Row in the source split, one per row (default: running row number in this file). */
  index?: Int32Array;
}

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function indexOfBytes(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Streams a feature cache to disk as an Arrow IPC file, one record batch per `append`.
 * Memory: nothing is buffered beyond the batch being written (the caller's arrays are written
 * as they are). The file is written as `<path>.<pid>.<random>.tmp` and renamed onto `path`
 * only by `close()`; `abort()` deletes it, so an interrupted write never leaves a readable file.
 *
 * The row count n is only known at close. The schema (with its metadata) is written first, so
 * the header metadata holds `"n":null` padded to a fixed width; `close()` writes the footer
 * (which repeats the schema, now with the real n) and then overwrites the padded placeholder
 * in the header in place, so header and footer metadata agree byte for byte. The same patch
 * writes the CRC-32 checksums of the feature, label and index data, computed as the batches pass.
 * Every batch is checked first: finite features, labels in 0..classes-1 (classes = the number of
 * class names when given, else labels ≥ 0); a bad value fails the write naming row and column.
 */
export class FeatureCacheWriter {
  private position = 0;
  private rows = 0;
  private readonly blocks: BlockInfo[] = [];
  private busy = false;
  private state: 'open' | 'closed' | 'aborted' = 'open';
  private readonly checksummer = new CacheChecksummer();

  private constructor(
    private readonly file: AtomicFile,
    /** Metadata as it will be stored (n filled in at close). */
    readonly meta: CacheMeta,
    /** Neurons per row. */
    readonly d: number,
    private readonly nPosition: number,
  ) {}

  /**
   * Opens a writer for `path` with `d` neurons per row and the given descriptive metadata
   * (formatVersion, n, d, packageVersion and createdAt are filled in).
   */
  static async open(path: string, meta: CacheMetaInput, d: number): Promise<FeatureCacheWriter> {
    if (!Number.isInteger(d) || d < 1) throw new RangeError(`${path}: d must be a positive integer, got ${d}`);
    const full = completeCacheMeta(meta, d);
    const schemaMessage = encodeSchemaMessage(featureCacheSchema(d, encodeCacheMeta(full, null)));
    const prefix = new TextEncoder().encode(nFieldPrefix(full.formatVersion));
    const at = indexOfBytes(schemaMessage, prefix);
    if (at < 0) throw new Error(`${path}: internal error: n placeholder not found in the encoded schema`);
    const file = await AtomicFile.create(path);
    const writer = new FeatureCacheWriter(file, full, d, FILE_HEAD.length + at + prefix.length);
    try {
      await writer.write(FILE_HEAD);
      await writer.write(schemaMessage);
    } catch (err) {
      await file.discard();
      throw err;
    }
    return writer;
  }

  /** Final path (the file appears there only after `close()`). */
  get path(): string {
    return this.file.path;
  }

  /** Temporary path being written. */
  get tempPath(): string {
    return this.file.tempPath;
  }

  /** Rows appended so far. */
  get rowsWritten(): number {
    return this.rows;
  }

  private async write(bytes: Uint8Array): Promise<void> {
    await this.file.writeAt(bytes, this.position);
    this.position += bytes.byteLength;
  }

  private checkOpen(what: string): void {
    if (this.state !== 'open') throw new Error(`${this.path}: ${what} after the writer was ${this.state}`);
    if (this.busy) throw new Error(`${this.path}: ${what} while a previous append is still running (await each append)`);
  }

  /**
   * Writes one record batch. `features` must hold rows×d values, `labels` (and `index` if
   * given) one value per row. The arrays may be reused by the caller once the promise resolves.
   */
  async append(batch: FeatureCacheBatch): Promise<void> {
    this.checkOpen('append');
    const { features, labels } = batch;
    if (!(features instanceof Float32Array)) throw new TypeError(`${this.path}: features must be a Float32Array`);
    if (!(labels instanceof Int32Array)) throw new TypeError(`${this.path}: labels must be an Int32Array`);
    const rows = labels.length;
    if (features.length !== rows * this.d) {
      throw new RangeError(`${this.path}: batch has ${features.length} feature values for ${rows} labels; expected rows×d = ${rows}×${this.d} = ${rows * this.d}`);
    }
    let index = batch.index;
    if (index === undefined) {
      index = new Int32Array(rows);
      for (let i = 0; i < rows; i++) index[i] = this.rows + i;
    } else if (!(index instanceof Int32Array) || index.length !== rows) {
      throw new RangeError(`${this.path}: index must be an Int32Array with one value per row (${rows}), got ${index?.length}`);
    }
    if (rows === 0) return;
    checkBatchValues(this.path, features, labels, this.d, this.rows, this.meta.classNames.length);
    if (this.rows + rows > 0x7fffffff) throw new RangeError(`${this.path}: more than 2^31-1 rows`);
    this.busy = true;
    try {
      const layout = cacheBodyLayout(rows, this.d);
      const message = encodeCacheBatchMessage(layout, this.d);
      this.blocks.push({ offset: this.position, metaDataLength: message.byteLength, bodyLength: layout.bodyLength });
      await this.write(message);
      await this.write(bytesOf(features));
      // The small tail of the body (padding, labels, index) goes out as one write.
      const tail = new Uint8Array(layout.bodyLength - layout.featuresLength);
      tail.set(bytesOf(labels), layout.labelsOffset - layout.featuresLength);
      tail.set(bytesOf(index), layout.indexOffset - layout.featuresLength);
      await this.write(tail);
      this.checksummer.update(features, labels, index);
      this.rows += rows;
    } catch (err) {
      await this.abort();
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /**
   * Finishes the file (end-of-stream marker, footer with the final metadata, tail magic),
   * patches n into the header metadata, syncs and renames onto `path`. Returns the metadata.
   */
  async close(): Promise<CacheMeta> {
    this.checkOpen('close');
    this.busy = true;
    try {
      this.meta.n = this.rows;
      this.meta.checksums = this.checksummer.result();
      const finalJson = encodeCacheMeta(this.meta);
      const footer = encodeFooter(featureCacheSchema(this.d, finalJson), this.blocks);
      const footerLength = new Uint8Array(Int32Array.of(footer.byteLength).buffer);
      await this.write(EOS);
      await this.write(footer);
      await this.write(footerLength);
      await this.write(MAGIC);
      await this.file.writeAt(new TextEncoder().encode(patchableMetaText(this.rows, this.meta.checksums)), this.nPosition);
      await this.file.commit();
      this.state = 'closed';
      return this.meta;
    } catch (err) {
      await this.abort();
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /** Stops writing and deletes the temporary file. Safe to call more than once, and after a failed close. */
  async abort(): Promise<void> {
    if (this.state === 'closed') return;
    this.state = 'aborted';
    await this.file.discard();
  }
}

/** Default rows per record batch when splitting an in-memory matrix: about 16 MiB of features. */
export function defaultBatchRows(d: number): number {
  return Math.max(1, Math.floor((16 * 1024 * 1024) / (4 * d)));
}

/** An in-memory matrix with labels (and optional source-row index), as {@link writeFeatureCache} accepts. */
export interface FeatureMatrixInput {
  features: FeatureBlock;
  labels: Int32Array;
  index?: Int32Array;
}

function isMatrixInput(x: unknown): x is FeatureMatrixInput {
  return typeof x === 'object' && x !== null && 'features' in x && typeof (x as any).features === 'object' && 'd' in (x as any).features;
}

/**
 * Writes a feature cache atomically from either a stream of batches (sync or async iterable of
 * {@link FeatureCacheBatch}) or one in-memory matrix `{features: {data, n, d}, labels, index?}`
 * (written as record batches of {@link defaultBatchRows} rows, as views, without copying).
 * `opts.progress` reports rows written (matrix input). For a stream, `d` comes from `meta.d` or is inferred from the first batch. Returns the stored metadata.
 * @example
 * ```ts
 * await writeFeatureCache('features.arrow', { features, labels }, { modelId: 'synthetic', split: 'train' });
 * ```
 */
export async function writeFeatureCache(
  path: string,
  source: FeatureMatrixInput | Iterable<FeatureCacheBatch> | AsyncIterable<FeatureCacheBatch>,
  meta: CacheMetaInput & { d?: number } = {},
  opts: { batchRows?: number; progress?: ProgressSink } = {},
): Promise<CacheMeta> {
  if (isMatrixInput(source)) {
    const { data, n, d } = source.features;
    if (data.length !== n * d) throw new RangeError(`${path}: features hold ${data.length} values, expected n×d = ${n}×${d}`);
    if (source.labels.length !== n) throw new RangeError(`${path}: ${source.labels.length} labels for ${n} rows`);
    if (source.index && source.index.length !== n) throw new RangeError(`${path}: ${source.index.length} index values for ${n} rows`);
    const { d: _d, ...rest } = meta;
    const writer = await FeatureCacheWriter.open(path, rest, d);
    const step = opts.batchRows ?? defaultBatchRows(d);
    const progress = opts.progress ? new Progress(`write ${path}`, n, opts.progress, 'rows') : undefined;
    try {
      for (let s = 0; s < n; s += step) {
        const e = Math.min(n, s + step);
        await writer.append({ features: data.subarray(s * d, e * d), labels: source.labels.subarray(s, e), index: source.index?.subarray(s, e) });
        progress?.tick(e - s);
      }
      return await writer.close();
    } catch (err) {
      await writer.abort();
      throw err;
    }
  }
  let writer: FeatureCacheWriter | undefined;
  const { d: metaD, ...rest } = meta;
  try {
    for await (const batch of source as AsyncIterable<FeatureCacheBatch>) {
      if (!writer) {
        const d = metaD ?? (batch.labels.length > 0 ? batch.features.length / batch.labels.length : NaN);
        if (!Number.isInteger(d) || d < 1) throw new RangeError(`${path}: cannot infer d from the first batch; give meta.d`);
        writer = await FeatureCacheWriter.open(path, rest, d);
      }
      await writer.append(batch);
    }
    if (!writer) {
      if (metaD === undefined) throw new RangeError(`${path}: no batches and no meta.d: cannot write an empty cache without d`);
      writer = await FeatureCacheWriter.open(path, rest, metaD);
    }
    return await writer.close();
  } catch (err) {
    await writer?.abort();
    throw err;
  }
}
