import { MessageHeader, type Schema } from 'apache-arrow';
import type { RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import type { FeatureBlock } from '../types.js';
import { FileFormatError } from '../util/errors.js';
import { Progress, type ProgressSink } from '../util/progress.js';
import { decodeFooter, FILE_HEAD, MAGIC, Message, TAIL_BYTES, unframeMessage, type BlockInfo } from './ipc.js';
import { CACHE_METADATA_KEY, parseCacheMeta, type CacheMeta } from './meta.js';
import { checkFeatureCacheSchema } from './schema.js';
import { CacheChecksummer, checksumMismatches } from './checksum.js';
import { checkBatchValues, checkLabelValues } from './validate.js';
import { memorySource, openFileSource, readBytes, type ByteSource } from './source.js';

/** A whole cache in memory, as {@link readFeatureCache} returns it. */
export interface FeatureCacheData {
  /** n×d row-major features. */
  features: FeatureBlock;
  /** One label per row. */
  labels: Int32Array;
  /** Row in the source split, one per row. */
  index: Int32Array;
  meta: CacheMeta;
  /** File the cache was read from. */
  path: string;
}

/** Where one record batch's rows and data buffers live in the file. */
interface BatchLocation {
  /** First row (in the whole file) of this batch. */
  start: number;
  rows: number;
  /** Absolute file offsets of the float data, label data and index data buffers. */
  featuresAt: number;
  labelsAt: number;
  indexAt: number;
}

/** One record batch as {@link FeatureCache.batches} yields it. */
export interface FeatureCacheChunk {
  /** First row of the chunk in the file. */
  start: number;
  /** rows×d row-major features. */
  features: FeatureBlock;
  labels: Int32Array;
  index: Int32Array;
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

async function decodeMessageAt(source: ByteSource, block: BlockInfo, what: string): Promise<Message> {
  const framed = await readBytes(source, block.offset, block.metaDataLength);
  const fb = unframeMessage(framed);
  if (typeof fb === 'string') throw new FileFormatError(source.name, `corrupted ${what} at byte ${block.offset}: ${fb}`);
  try {
    return Message.decode(fb);
  } catch (err: any) {
    throw new FileFormatError(source.name, `corrupted ${what} at byte ${block.offset}: cannot decode its flatbuffer (${err?.message ?? err})`);
  }
}

/** Checks one record batch message against the cache layout; returns where its data lives. */
function locateBatch(source: ByteSource, message: Message, block: BlockInfo, i: number, start: number, d: number): BatchLocation {
  const where = `record batch ${i} (byte ${block.offset})`;
  const bad = (msg: string) => new FileFormatError(source.name, `corrupted ${where}: ${msg}`);
  if (message.headerType !== MessageHeader.RecordBatch) throw bad(`expected a RecordBatch message, found header type ${message.headerType}`);
  const header = message.header() as RecordBatchHeader;
  if (header.compression) throw new FileFormatError(source.name, `${where} is compressed (codec ${header.compression.type}); feature caches are uncompressed`);
  const rows = header.length;
  const nodes = header.nodes;
  const buffers = header.buffers;
  if (nodes.length !== 4 || buffers.length !== 7) throw bad(`has ${nodes.length} field nodes and ${buffers.length} buffers, expected 4 and 7 for features, label, index`);
  if (nodes[0].length !== rows || nodes[2].length !== rows || nodes[3].length !== rows) throw bad(`column lengths ${nodes[0].length}/${nodes[2].length}/${nodes[3].length} differ from the batch length ${rows}`);
  if (nodes[1].length !== rows * d) throw bad(`features hold ${nodes[1].length} values for ${rows} rows, expected rows×d = ${rows * d}`);
  for (const [k, name] of [[0, 'features'], [1, 'features.item'], [2, 'label'], [3, 'index']] as const) {
    if (nodes[k].nullCount !== 0) throw new FileFormatError(source.name, `${where}: column '${name}' has ${nodes[k].nullCount} nulls; feature caches have none`);
  }
  if (message.bodyLength !== block.bodyLength) throw bad(`message body length ${message.bodyLength} differs from the footer's ${block.bodyLength}`);
  for (const [k, b] of buffers.entries()) {
    if (b.offset < 0 || b.length < 0 || b.offset + b.length > block.bodyLength) throw bad(`buffer ${k} [${b.offset}, ${b.offset + b.length}) lies outside the ${block.bodyLength}-byte body`);
  }
  const need = [[2, rows * d * 4, 'features'], [4, rows * 4, 'label'], [6, rows * 4, 'index']] as const;
  for (const [k, bytes, name] of need) {
    if (buffers[k].length < bytes) throw bad(`'${name}' data buffer has ${buffers[k].length} bytes, expected ${bytes}`);
  }
  const body = block.offset + block.metaDataLength;
  return { start, rows, featuresAt: body + buffers[2].offset, labelsAt: body + buffers[4].offset, indexAt: body + buffers[6].offset };
}

/**
 * A feature cache opened for lazy reading: the footer, schema, metadata and every record
 * batch header are read and checked on open; feature values are read from disk only when
 * `rows()` / `batches()` ask for them, straight into the returned arrays (no intermediate copy).
 * Call `close()` when done (or use {@link withFeatureCache}).
 */
export class FeatureCache {
  private constructor(
    private readonly source: ByteSource,
    readonly meta: CacheMeta,
    private readonly locations: BatchLocation[],
  ) {}

  /** File (or buffer name) this cache reads from. */
  get path(): string {
    return this.source.name;
  }
  /** Number of rows. */
  get n(): number {
    return this.meta.n;
  }
  /** Neurons per row. */
  get d(): number {
    return this.meta.d;
  }
  /** Number of record batches in the file. */
  get numBatches(): number {
    return this.locations.length;
  }
  /** Size of the file in bytes. */
  get byteLength(): number {
    return this.source.size;
  }

  /**
   * Opens and validates a cache from any byte source. Throws a FileFormatError naming the file
   * when it is not an Arrow IPC file, is truncated, has a corrupted footer or batch, the wrong
   * schema, a missing/wrong format version, or metadata n/d that disagree with the data.
   */
  static async fromSource(source: ByteSource): Promise<FeatureCache> {
    const file = source.name;
    const size = source.size;
    const head = await readBytes(source, 0, Math.min(size, FILE_HEAD.length));
    if (!startsWith(head, MAGIC)) {
      const stream = head.length >= 4 && head[0] === 0xff && head[1] === 0xff && head[2] === 0xff && head[3] === 0xff;
      throw new FileFormatError(file, stream
        ? 'is an Arrow IPC stream, not an Arrow IPC file (expected the ARROW1 file magic; write it with the file format)'
        : 'not an Arrow IPC file (the first bytes are not the ARROW1 magic)');
    }
    const minSize = FILE_HEAD.length + TAIL_BYTES;
    if (size < minSize) throw new FileFormatError(file, `truncated: ${size} bytes is too short for an Arrow IPC file (at least ${minSize})`);
    const tail = await readBytes(source, size - TAIL_BYTES, TAIL_BYTES);
    if (!startsWith(tail.subarray(4), MAGIC)) {
      throw new FileFormatError(file, `truncated or corrupted: no ARROW1 magic at the end of the ${size}-byte file (an interrupted write?)`);
    }
    const footerLength = new DataView(tail.buffer, tail.byteOffset, 4).getInt32(0, true);
    const footerStart = size - TAIL_BYTES - footerLength;
    if (footerLength <= 0 || footerStart < FILE_HEAD.length) {
      throw new FileFormatError(file, `corrupted footer: footer length ${footerLength} does not fit the ${size}-byte file`);
    }
    let footer: ReturnType<typeof decodeFooter>;
    try {
      footer = decodeFooter(await readBytes(source, footerStart, footerLength));
      if (!footer.schema) throw new Error('no schema');
    } catch (err: any) {
      if (err instanceof FileFormatError) throw err;
      throw new FileFormatError(file, `corrupted footer: cannot decode it (${err?.message ?? err})`);
    }
    const d = checkFeatureCacheSchema(file, footer.schema);
    const meta = parseCacheMeta(file, footer.schema.metadata.get(CACHE_METADATA_KEY));
    if (meta.d !== d) throw new FileFormatError(file, `metadata d=${meta.d} but the 'features' column has list size ${d}`);
    if (footer.numDictionaries !== 0) throw new FileFormatError(file, `has ${footer.numDictionaries} dictionary batches; feature caches have none`);
    const locations: BatchLocation[] = [];
    let rows = 0;
    for (const [i, block] of footer.blocks.entries()) {
      const end = block.offset + block.metaDataLength + block.bodyLength;
      if (block.offset < FILE_HEAD.length || block.metaDataLength < 8 || block.bodyLength < 0 || end > footerStart) {
        throw new FileFormatError(file, `corrupted footer: record batch ${i} claims bytes [${block.offset}, ${end}) outside the data region [8, ${footerStart})`);
      }
      const loc = locateBatch(source, await decodeMessageAt(source, block, `record batch ${i}`), block, i, rows, d);
      locations.push(loc);
      rows += loc.rows;
    }
    if (rows !== meta.n) throw new FileFormatError(file, `metadata n=${meta.n} but the record batches hold ${rows} rows`);
    await checkHeaderSchema(source, meta);
    return new FeatureCache(source, meta, locations);
  }

  /**
   * Rows [start, end) as one contiguous row-major block plus their labels and index. Reads
   * only the record batches that overlap the range, each directly into place. For an
   * in-memory source whose range lies in one batch, returns views without copying.
   */
  async rows(start = 0, end = this.n): Promise<{ features: FeatureBlock; labels: Int32Array; index: Int32Array }> {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.n || start > end) {
      throw new RangeError(`${this.path}: rows(${start}, ${end}) outside [0, ${this.n}]`);
    }
    const d = this.d;
    const parts = this.locations.filter((l) => l.start < end && l.start + l.rows > start);
    if (parts.length === 1) {
      const zeroCopy = this.viewRows(parts[0], start, end);
      if (zeroCopy) return zeroCopy;
    }
    const data = new Float32Array((end - start) * d);
    const labels = new Int32Array(end - start);
    const index = new Int32Array(end - start);
    await this.readRowsInto(start, end, data, labels, index);
    return { features: { data, n: end - start, d }, labels, index };
  }

  /**
   * Reads rows [start, end) from disk straight into `data` (at row 0 of `data` = row `start`),
   * `labels` and `index`, which must hold at least end-start rows.
   */
  async readRowsInto(start: number, end: number, data: Float32Array, labels: Int32Array, index: Int32Array): Promise<void> {
    const d = this.d;
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > this.n || start > end) {
      throw new RangeError(`${this.path}: rows [${start}, ${end}) outside [0, ${this.n}]`);
    }
    if (data.length < (end - start) * d || labels.length < end - start || index.length < end - start) {
      throw new RangeError(`${this.path}: target arrays too small for rows [${start}, ${end})`);
    }
    const out = new Uint8Array(data.buffer, data.byteOffset, (end - start) * d * 4);
    const lab = new Uint8Array(labels.buffer, labels.byteOffset, (end - start) * 4);
    const idx = new Uint8Array(index.buffer, index.byteOffset, (end - start) * 4);
    for (const loc of this.locations) {
      if (!(loc.start < end && loc.start + loc.rows > start)) continue;
      const a = Math.max(start, loc.start);
      const b = Math.min(end, loc.start + loc.rows);
      const skip = a - loc.start;
      await this.source.readInto(loc.featuresAt + skip * d * 4, out.subarray((a - start) * d * 4, (b - start) * d * 4));
      await this.source.readInto(loc.labelsAt + skip * 4, lab.subarray((a - start) * 4, (b - start) * 4));
      await this.source.readInto(loc.indexAt + skip * 4, idx.subarray((a - start) * 4, (b - start) * 4));
    }
  }

  private viewRows(loc: BatchLocation, start: number, end: number) {
    const d = this.d;
    const skip = start - loc.start;
    const f = this.source.view(loc.featuresAt + skip * d * 4, (end - start) * d * 4);
    const l = this.source.view(loc.labelsAt + skip * 4, (end - start) * 4);
    const x = this.source.view(loc.indexAt + skip * 4, (end - start) * 4);
    if (!f || !l || !x || f.byteOffset % 4 || l.byteOffset % 4 || x.byteOffset % 4) return undefined;
    return {
      features: { data: new Float32Array(f.buffer, f.byteOffset, (end - start) * d), n: end - start, d },
      labels: new Int32Array(l.buffer, l.byteOffset, end - start),
      index: new Int32Array(x.buffer, x.byteOffset, end - start),
    };
  }

  /**
   * The record batches in file order, each read from disk when the iteration reaches it. Labels
   * are range-checked per batch; with `verify` (default: {@link cacheVerification}) the content
   * checksums are compared after the last batch, so a consumer writing a file atomically (e.g.
   * `dr export`) fails before committing it when the cache is corrupted.
   */
  async *batches(opts: { verify?: boolean } = {}): AsyncGenerator<FeatureCacheChunk> {
    const verify = opts.verify ?? verifyByDefault;
    const sums = new CacheChecksummer();
    for (const loc of this.locations) {
      const r = await this.rows(loc.start, loc.start + loc.rows);
      this.checkValues(r.features.data, r.labels, loc.start, verify);
      if (verify) sums.update(r.features.data, r.labels, r.index);
      yield { start: loc.start, ...r };
    }
    if (verify) this.compareChecksums(sums);
  }

  /**
   * Range checks of values read from rows [firstRow, …): labels always; features finite only
   * when the file has no checksums to vouch for them (the writer checked them before summing).
   */
  checkValues(features: Float32Array, labels: Int32Array, firstRow: number, verify: boolean): void {
    const classes = this.meta.classNames.length;
    if (verify && !this.meta.checksums) checkBatchValues(this.path, features, labels, this.d, firstRow, classes);
    else checkLabelValues(this.path, labels, firstRow, classes);
  }

  /** Throws a FileFormatError naming the columns whose data differ from the stored checksums; warns once when there are none. */
  compareChecksums(sums: CacheChecksummer): void {
    const stored = this.meta.checksums;
    if (!stored) {
      warnUnverified(this.path);
      return;
    }
    const bad = checksumMismatches(stored, sums.result());
    if (bad.length) {
      const detail = bad.map((k) => `'${k}' (stored crc32 ${stored[k]}, data ${sums.result()[k]})`).join(', ');
      throw new FileFormatError(this.path, `content checksum mismatch in column ${detail}: the file is corrupted; rebuild it (or read it with --no-verify at your own risk)`);
    }
  }

  /**
   * Reads every row and compares the content checksums (and value ranges) without keeping the
   * data: memory one chunk. Throws a FileFormatError naming the file on a mismatch.
   */
  async verify(): Promise<void> {
    const { n, d } = this;
    const step = Math.max(1, Math.min(n, Math.floor((8 * 1024 * 1024) / (4 * d))));
    const buffers = [0, 1].map(() => ({ data: new Float32Array(step * d), labels: new Int32Array(step), index: new Int32Array(step) }));
    await this.readVerified(0, n, step, (s, e, i) => buffers[i % 2], () => {});
  }

  /**
   * Reads rows [0, n) in chunks of `step` rows into the arrays `target` gives for chunk i, reading
   * chunk i+1 from disk while chunk i is checksummed (so verification costs little wall time).
   */
  async readVerified(
    start: number,
    end: number,
    step: number,
    target: (s: number, e: number, i: number) => { data: Float32Array; labels: Int32Array; index: Int32Array },
    done: (rows: number) => void,
    verify = true,
  ): Promise<void> {
    const d = this.d;
    const sums = new CacheChecksummer();
    const chunks: Array<[number, number]> = [];
    for (let s = start; s < end; s += step) chunks.push([s, Math.min(end, s + step)]);
    const read = (i: number) => {
      const [s, e] = chunks[i];
      const t = target(s, e, i);
      return this.readRowsInto(s, e, t.data, t.labels, t.index).then(() => t);
    };
    let pending = chunks.length ? read(0) : undefined;
    for (let i = 0; i < chunks.length; i++) {
      const t = await pending!;
      pending = i + 1 < chunks.length ? read(i + 1) : undefined;
      const [s, e] = chunks[i];
      const rows = e - s;
      const data = t.data.subarray(0, rows * d);
      const labels = t.labels.subarray(0, rows);
      this.checkValues(data, labels, s, verify);
      if (verify) sums.update(data, labels, t.index.subarray(0, rows));
      done(rows);
    }
    if (verify && start === 0 && end === this.n) this.compareChecksums(sums);
  }

  /** All labels (reads only the label buffers, not the features). */
  async labels(): Promise<Int32Array> {
    return this.readColumn('labelsAt');
  }

  /** All source-row indices (reads only the index buffers). */
  async index(): Promise<Int32Array> {
    return this.readColumn('indexAt');
  }

  private async readColumn(which: 'labelsAt' | 'indexAt'): Promise<Int32Array> {
    const out = new Int32Array(this.n);
    for (const loc of this.locations) {
      await this.source.readInto(loc[which], new Uint8Array(out.buffer, loc.start * 4, loc.rows * 4));
    }
    return out;
  }

  /** Row counts of the record batches, in order. */
  batchRowCounts(): number[] {
    return this.locations.map((l) => l.rows);
  }

  /** Releases the file handle. */
  close(): Promise<void> {
    return this.source.close();
  }
}

/**
 * The schema message at the start of the file must agree with the footer's on n and d (a
 * stream reader sees only the header). Files without a leading schema message (apache-arrow's
 * JS writer keeps the schema only in the footer) or without cache metadata in it are left to
 * the footer, which is what file-format readers use.
 */
async function checkHeaderSchema(source: ByteSource, meta: CacheMeta): Promise<void> {
  const prefix = await readBytes(source, FILE_HEAD.length, 8);
  const view = new DataView(prefix.buffer);
  // An end-of-stream marker first: a writer that keeps the schema in the footer and wrote no batch (n = 0).
  if ((view.getInt32(0, true) === -1 && view.getInt32(4, true) === 0) || view.getInt32(0, true) === 0) return;
  const len = view.getInt32(0, true) === -1 ? view.getInt32(4, true) + 8 : view.getInt32(0, true) + 4;
  if (len < 8 || FILE_HEAD.length + len > source.size) throw new FileFormatError(source.name, `corrupted header: schema message length ${len} does not fit the file`);
  const message = await decodeMessageAt(source, { offset: FILE_HEAD.length, metaDataLength: len, bodyLength: 0 }, 'header schema message');
  // apache-arrow's JS file writer puts the schema only in the footer: then the first message is a batch.
  if (message.headerType !== MessageHeader.Schema) return;
  const text = (message.header() as Schema).metadata.get(CACHE_METADATA_KEY);
  if (text === undefined) return;
  let header: { n?: unknown; d?: unknown };
  try {
    header = JSON.parse(text);
  } catch {
    throw new FileFormatError(source.name, `corrupted header: schema metadata '${CACHE_METADATA_KEY}' is not valid JSON`);
  }
  if (header.n !== meta.n || header.d !== meta.d) {
    throw new FileFormatError(source.name, `header metadata says n=${String(header.n)}, d=${String(header.d)} but the footer says n=${meta.n}, d=${meta.d} (an unfinished write?)`);
  }
}

/** Opens a cache file for lazy reading (see {@link FeatureCache}). */
export async function openFeatureCache(path: string): Promise<FeatureCache> {
  const source = await openFileSource(path);
  try {
    return await FeatureCache.fromSource(source);
  } catch (err) {
    await source.close();
    throw err;
  }
}

/** Opens a cache held in memory (e.g. bytes from apache-arrow's `tableToIPC(table, 'file')`). */
export function openFeatureCacheBytes(bytes: Uint8Array, name = '<memory>'): Promise<FeatureCache> {
  return FeatureCache.fromSource(memorySource(bytes, name));
}

/** Runs `fn` on an opened cache and closes it afterwards, also on error. */
export async function withFeatureCache<T>(path: string, fn: (cache: FeatureCache) => Promise<T>): Promise<T> {
  const cache = await openFeatureCache(path);
  try {
    return await fn(cache);
  } finally {
    await cache.close();
  }
}

/** Options for {@link readFeatureCache}. */
export interface ReadFeatureCacheOptions {
  /** Progress sink for big files (rows read); default none. */
  progress?: ProgressSink;
  /** Compare the content checksums (default: {@link cacheVerification}, true unless `--no-verify`). */
  verify?: boolean;
}

let verifyByDefault = true;
const warned = new Set<string>();

/**
 * Whether full reads verify content checksums by default (true). The CLI's `--no-verify`
 * turns it off for huge trusted files; returns the previous setting.
 */
export function cacheVerification(on?: boolean): boolean {
  const before = verifyByDefault;
  if (on !== undefined) verifyByDefault = on;
  return before;
}

/** Policy for caches without checksums (older versions, other tools): read them, warn once per file on stderr. */
function warnUnverified(path: string): void {
  if (warned.has(path)) return;
  warned.add(path);
  process.stderr.write(`warning: ${path} has no content checksums (written by an older version or another tool): values were range-checked but corruption cannot be detected; rebuild it to add checksums\n`);
}

/**
 * Reads a whole cache: one contiguous n×d row-major Float32Array (preallocated once, each
 * record batch read from disk straight into its rows, so peak memory ≈ the feature bytes),
 * labels, index and metadata. Throws a FileFormatError naming the file on any problem.
 * @example
 * ```ts
 * const train = await readFeatureCache('data/cache/train.arrow');
 * train.features.n; train.features.d; train.labels;
 * ```
 */
export async function readFeatureCache(path: string, opts: ReadFeatureCacheOptions = {}): Promise<FeatureCacheData> {
  return withFeatureCache(path, (cache) => readWhole(cache, path, opts));
}

async function readWhole(cache: FeatureCache, path: string, opts: ReadFeatureCacheOptions): Promise<FeatureCacheData> {
  const { n, d } = cache;
  const data = new Float32Array(n * d);
  const labels = new Int32Array(n);
  const index = new Int32Array(n);
  const progress = opts.progress ? new Progress(`read ${path}`, n, opts.progress, 'rows') : undefined;
  // 8 MiB chunks: small enough that reading the next one overlaps checksumming this one.
  const step = Math.max(1, Math.floor((8 * 1024 * 1024) / (4 * d)));
  await cache.readVerified(0, n, step, (s, e) => ({ data: data.subarray(s * d, e * d), labels: labels.subarray(s, e), index: index.subarray(s, e) }), (rows) => progress?.tick(rows), opts.verify ?? verifyByDefault);
  return { features: { data, n, d }, labels, index, meta: cache.meta, path };
}

/** Decodes and verifies a whole cache held in memory (a copy of its rows). */
export async function decodeFeatureCache(bytes: Uint8Array, name = '<memory>', opts: ReadFeatureCacheOptions = {}): Promise<FeatureCacheData> {
  const cache = await openFeatureCacheBytes(bytes, name);
  return readWhole(cache, name, opts);
}
