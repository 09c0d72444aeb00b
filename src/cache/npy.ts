// NumPy .npy files (format spec: numpy.lib.format, versions 1.0 / 2.0 / 3.0). Written
// byte-for-byte as numpy's own `np.save` writes them (same header text, growth padding and
// 64-byte alignment), read in the few dtypes feature exchange needs.
import { open, type FileHandle } from 'node:fs/promises';
import type { FeatureBlock } from '../types.js';
import { FileFormatError } from '../util/errors.js';
import { AtomicFile } from '../util/atomicWrite.js';
import { fileError, requireFile } from '../util/fsErrors.js';
import { float16ArrayToFloat32 } from './float16.js';

const NPY_MAGIC = Uint8Array.of(0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59); // \x93NUMPY
const ARRAY_ALIGN = 64;
/** numpy leaves room for the first axis to grow to this many digits. */
const GROWTH_AXIS_MAX_DIGITS = 21;

/** dtypes this module writes. */
export type NpyWriteDtype = '<f4' | '<i4';

/** The parsed header of a .npy file. */
export interface NpyHeader {
  /** Format version, e.g. [1, 0]. */
  version: [number, number];
  /** dtype descriptor as written, e.g. '<f4'. */
  descr: string;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset where the array data starts. */
  dataOffset: number;
}

function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/** The complete header bytes (magic, version, length, dict text, padding, newline) numpy would write. */
export function encodeNpyHeader(descr: string, shape: readonly number[]): Uint8Array {
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${pyShape(shape)}, }`;
  if (shape.length > 0) dict += ' '.repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[0]).length);
  const hlen = dict.length + 1;
  for (const [major, lenBytes] of [[1, 2], [2, 4]] as const) {
    const padlen = ARRAY_ALIGN - ((NPY_MAGIC.length + 2 + lenBytes + hlen) % ARRAY_ALIGN);
    const total = hlen + padlen;
    if (lenBytes === 2 && total > 0xffff) continue;
    const out = new Uint8Array(NPY_MAGIC.length + 2 + lenBytes + total);
    out.set(NPY_MAGIC, 0);
    out[6] = major;
    out[7] = 0;
    const view = new DataView(out.buffer);
    if (lenBytes === 2) view.setUint16(8, total, true);
    else view.setUint32(8, total, true);
    const text = dict + ' '.repeat(padlen) + '\n';
    for (let i = 0; i < text.length; i++) out[6 + 2 + lenBytes + i] = text.charCodeAt(i);
    return out;
  }
  throw new RangeError('npy header too long');
}

/**
 * Writes a .npy file in chunks with bounded memory: the header first, then `write(chunk)` calls
 * whose total must equal the product of `shape`. Atomic (temp file + rename on `close()`).
 */
export class NpyWriter {
  private position = 0;
  private written = 0;
  private constructor(
    private readonly file: AtomicFile,
    readonly descr: NpyWriteDtype,
    readonly shape: readonly number[],
  ) {}

  /** Opens `path` for an array of `shape` (C order) with dtype `<f4` or `<i4`. */
  static async open(path: string, descr: NpyWriteDtype, shape: readonly number[]): Promise<NpyWriter> {
    for (const s of shape) if (!Number.isInteger(s) || s < 0) throw new RangeError(`${path}: bad npy shape ${pyShape(shape)}`);
    const file = await AtomicFile.create(path);
    const w = new NpyWriter(file, descr, shape);
    try {
      const header = encodeNpyHeader(descr, shape);
      await file.writeAt(header, 0);
      w.position = header.byteLength;
    } catch (err) {
      await file.discard();
      throw err;
    }
    return w;
  }

  private get total(): number {
    return this.shape.reduce((a, b) => a * b, 1);
  }

  /** Appends values (C order). Their type must match the dtype. */
  async write(chunk: Float32Array | Int32Array): Promise<void> {
    const ok = this.descr === '<f4' ? chunk instanceof Float32Array : chunk instanceof Int32Array;
    if (!ok) throw new TypeError(`${this.file.path}: chunk type does not match dtype ${this.descr}`);
    if (this.written + chunk.length > this.total) throw new RangeError(`${this.file.path}: more values than shape ${pyShape(this.shape)} holds`);
    try {
      await this.file.writeAt(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength), this.position);
    } catch (err) {
      await this.file.discard();
      throw err;
    }
    this.position += chunk.byteLength;
    this.written += chunk.length;
  }

  /** Checks the value count and renames the file into place. */
  async close(): Promise<void> {
    if (this.written !== this.total) {
      await this.file.discard();
      throw new RangeError(`${this.file.path}: wrote ${this.written} values, shape ${pyShape(this.shape)} needs ${this.total}`);
    }
    await this.file.commit();
  }

  /** Deletes the temporary file. */
  abort(): Promise<void> {
    return this.file.discard();
  }
}

/**
 * Writes `data` as a C-order .npy array of `shape`: float32 (`<f4`) for a Float32Array,
 * int32 (`<i4`) for an Int32Array. Atomic. E.g. features n×d, labels [n].
 */
export async function writeNpy(path: string, data: Float32Array | Int32Array, shape: readonly number[] = [data.length]): Promise<void> {
  const total = shape.reduce((a, b) => a * b, 1);
  if (total !== data.length) throw new RangeError(`${path}: ${data.length} values do not fill shape ${pyShape(shape)}`);
  const w = await NpyWriter.open(path, data instanceof Float32Array ? '<f4' : '<i4', shape);
  await w.write(data);
  await w.close();
}

async function readAt(handle: FileHandle, target: Uint8Array, position: number): Promise<number> {
  let done = 0;
  while (done < target.byteLength) {
    const { bytesRead } = await handle.read(target, done, Math.min(1 << 30, target.byteLength - done), position + done);
    if (bytesRead <= 0) break;
    done += bytesRead;
  }
  return done;
}

/** Parses the header of an open .npy file; errors name the file and what is wrong. */
async function parseHeader(path: string, handle: FileHandle): Promise<NpyHeader> {
  const pre = new Uint8Array(12);
  const got = await readAt(handle, pre, 0);
  for (let i = 0; i < NPY_MAGIC.length; i++) {
    if (got < NPY_MAGIC.length || pre[i] !== NPY_MAGIC[i]) throw new FileFormatError(path, 'not a .npy file (missing the \\x93NUMPY magic)');
  }
  const major = pre[6];
  const minor = pre[7];
  if (major < 1 || major > 3) throw new FileFormatError(path, `unsupported .npy format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  const view = new DataView(pre.buffer);
  const lenBytes = major === 1 ? 2 : 4;
  if (got < 8 + lenBytes) throw new FileFormatError(path, 'truncated .npy header');
  const hlen = lenBytes === 2 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (hlen > 1 << 20) throw new FileFormatError(path, `implausible .npy header length ${hlen}`);
  const headerBytes = new Uint8Array(hlen);
  if ((await readAt(handle, headerBytes, 8 + lenBytes)) !== hlen) throw new FileFormatError(path, 'truncated .npy header');
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(headerBytes);
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(text);
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(text);
  const shape = /'shape'\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr) {
    if (/'descr'\s*:\s*\[/.test(text)) throw new FileFormatError(path, 'structured (record) dtype is not supported; expected a plain float32/float16/int32 array');
    throw new FileFormatError(path, `cannot parse .npy header: no 'descr' (header: ${text.trim()})`);
  }
  if (!fortran || !shape) throw new FileFormatError(path, `cannot parse .npy header (header: ${text.trim()})`);
  const dims = shape[1].split(',').map((s) => s.trim()).filter((s) => s !== '').map((s) => Number(s.replace(/L$/, '')));
  if (dims.some((v) => !Number.isInteger(v) || v < 0)) throw new FileFormatError(path, `bad shape (${shape[1]}) in .npy header`);
  return { version: [major, minor], descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims, dataOffset: 8 + lenBytes + hlen };
}

/** Reads just the header of a .npy file. */
export async function readNpyHeader(path: string): Promise<NpyHeader> {
  const handle = await openNpy(path);
  try {
    return await parseHeader(path, handle);
  } finally {
    await handle.close();
  }
}

async function openNpy(path: string): Promise<FileHandle> {
  requireFile(path);
  try {
    return await open(path, 'r');
  } catch (err: any) {
    throw fileError(path, 'cannot open', err);
  }
}

const ITEM_SIZE: Record<string, number> = { f4: 4, f2: 2, i4: 4, i8: 8, f8: 8, i2: 2, i1: 1, u1: 1, u2: 2, u4: 4, u8: 8, b1: 1 };

/** A .npy array as read: float32 for float data, int32 for integer data. */
export interface NpyArray {
  /** The dtype found in the file (before conversion), e.g. '<f2'. */
  descr: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

function checkOrder(path: string, h: NpyHeader, expected: string): void {
  const order = h.descr[0];
  const kind = h.descr.slice(1);
  if (order === '>' || (order === '!')) throw new FileFormatError(path, `big-endian dtype '${h.descr}' is not supported; expected little-endian ${expected} (save with arr.astype('<${kind}'))`);
  if (h.fortranOrder) throw new FileFormatError(path, `fortran_order is True; expected a C-order array (save np.ascontiguousarray(arr))`);
}

/**
 * Reads a .npy file: `<f4` as is, `<f2` converted to float32 exactly, `<i4` as is, `<i8`
 * converted to int32 when every value fits. C order, little-endian only. Errors name the file
 * and say what was expected (big-endian, Fortran order, unsupported dtype, truncated data).
 */
export async function readNpy(path: string): Promise<NpyArray> {
  const handle = await openNpy(path);
  try {
    const h = await parseHeader(path, handle);
    const kind = h.descr.slice(1);
    if (!['f4', 'f2', 'i4', 'i8'].includes(kind) || !['<', '=', '|'].includes(h.descr[0])) {
      checkOrder(path, h, 'float32 (<f4), float16 (<f2), int32 (<i4) or int64 (<i8)');
      throw new FileFormatError(path, `unsupported dtype '${h.descr}'; expected float32 (<f4) or float16 (<f2) features, int32 (<i4) or int64 (<i8) labels`);
    }
    checkOrder(path, h, `'<${kind}'`);
    const count = h.shape.reduce((a, b) => a * b, 1);
    const bytes = count * ITEM_SIZE[kind];
    const st = await handle.stat();
    const available = st.size - h.dataOffset;
    if (available < bytes) throw new FileFormatError(path, `truncated: shape ${pyShape(h.shape)} of ${h.descr} needs ${bytes} data bytes, the file has ${Math.max(0, available)}`);
    if (available > bytes) throw new FileFormatError(path, `${available - bytes} unexpected bytes after the ${pyShape(h.shape)} ${h.descr} array`);
    let data: Float32Array | Int32Array;
    if (kind === 'f4' || kind === 'i4') {
      data = kind === 'f4' ? new Float32Array(count) : new Int32Array(count);
      await readAt(handle, new Uint8Array(data.buffer), h.dataOffset);
    } else if (kind === 'f2') {
      const out = new Float32Array(count);
      const chunk = 1 << 22; // halves per read: 8 MiB of file at a time
      const buf = new Uint16Array(Math.min(chunk, count));
      for (let s = 0; s < count; s += chunk) {
        const m = Math.min(chunk, count - s);
        await readAt(handle, new Uint8Array(buf.buffer, 0, m * 2), h.dataOffset + s * 2);
        float16ArrayToFloat32(buf.subarray(0, m), out.subarray(s, s + m));
      }
      data = out;
    } else {
      const wide = new BigInt64Array(count);
      await readAt(handle, new Uint8Array(wide.buffer), h.dataOffset);
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) {
        const v = wide[i];
        if (v < -2147483648n || v > 2147483647n) throw new FileFormatError(path, `int64 value ${v} at position ${i} does not fit int32`);
        out[i] = Number(v);
      }
      data = out;
    }
    return { descr: h.descr, shape: h.shape, data };
  } finally {
    await handle.close();
  }
}

/** Reads an n×d feature matrix: a 2-D float32 or float16 .npy array (C order, little-endian). */
export async function readNpyFeatures(path: string): Promise<FeatureBlock> {
  const h = await readNpyHeader(path);
  const kind = h.descr.slice(1);
  if (kind !== 'f4' && kind !== 'f2') {
    checkOrder(path, h, 'float32');
    throw new FileFormatError(path, `features have dtype '${h.descr}'; expected float32 ('<f4') or float16 ('<f2')`);
  }
  if (h.shape.length !== 2) throw new FileFormatError(path, `features have shape ${pyShape(h.shape)} (ndim ${h.shape.length}); expected a 2-D array (n, d)`);
  if (h.shape[1] < 1) throw new FileFormatError(path, `features have d = 0 columns; expected d >= 1`);
  const arr = await readNpy(path);
  return { data: arr.data as Float32Array, n: h.shape[0], d: h.shape[1] };
}

/** Reads integer labels: a 1-D int32 or int64 .npy array (values must fit int32). */
export async function readNpyLabels(path: string): Promise<Int32Array> {
  const h = await readNpyHeader(path);
  const kind = h.descr.slice(1);
  if (kind !== 'i4' && kind !== 'i8') {
    checkOrder(path, h, 'int32');
    throw new FileFormatError(path, `labels have dtype '${h.descr}'; expected int32 ('<i4') or int64 ('<i8')`);
  }
  if (h.shape.length !== 1) throw new FileFormatError(path, `labels have shape ${pyShape(h.shape)} (ndim ${h.shape.length}); expected a 1-D array (n,)`);
  return (await readNpy(path)).data as Int32Array;
}
