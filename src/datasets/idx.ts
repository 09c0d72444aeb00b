import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { FileFormatError } from '../util/errors.js';

/** Element types of the IDX format (third byte of the magic number). */
export type IdxType = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';

/** A parsed IDX array: `dims` (e.g. [n, 28, 28]) and the values flattened row-major. */
export interface IdxArray {
  type: IdxType;
  dims: number[];
  data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPE_CODES: Record<number, { type: IdxType; size: number }> = {
  0x08: { type: 'uint8', size: 1 },
  0x09: { type: 'int8', size: 1 },
  0x0b: { type: 'int16', size: 2 },
  0x0c: { type: 'int32', size: 4 },
  0x0d: { type: 'float32', size: 4 },
  0x0e: { type: 'float64', size: 8 },
};

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Parses IDX bytes (MNIST format: 2 zero bytes, type code, number of dims, big-endian int32
 * sizes, then big-endian values). Gzip-compressed input is recognised by its magic number.
 * `file` only names the source in error messages.
 */
export function parseIdx(input: Uint8Array, file = '<buffer>'): IdxArray {
  const bytes = isGzip(input) ? new Uint8Array(gunzipSync(input)) : input;
  if (bytes.length < 4 || bytes[0] !== 0 || bytes[1] !== 0) {
    throw new FileFormatError(file, 'not an IDX file (expected magic number 00 00 <type> <ndims>)');
  }
  const code = TYPE_CODES[bytes[2]];
  if (!code) throw new FileFormatError(file, `unknown IDX element type 0x${bytes[2].toString(16)}`);
  const ndims = bytes[3];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) throw new FileFormatError(file, `truncated IDX header (${ndims} dims)`);
  const dims: number[] = [];
  for (let i = 0; i < ndims; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * code.size;
  if (bytes.length !== expected) {
    throw new FileFormatError(file, `IDX size mismatch: dims [${dims.join(', ')}] need ${expected} bytes, file has ${bytes.length}`);
  }
  let data: IdxArray['data'];
  switch (code.type) {
    case 'uint8':
      data = bytes.slice(headerBytes, expected);
      break;
    case 'int8':
      data = new Int8Array(bytes.slice(headerBytes, expected).buffer);
      break;
    default: {
      // Multi-byte IDX values are big-endian, so read through a DataView rather than reinterpret.
      const out =
        code.type === 'int16' ? new Int16Array(count)
        : code.type === 'int32' ? new Int32Array(count)
        : code.type === 'float32' ? new Float32Array(count)
        : new Float64Array(count);
      for (let i = 0; i < count; i++) {
        const o = headerBytes + i * code.size;
        out[i] =
          code.type === 'int16' ? view.getInt16(o, false)
          : code.type === 'int32' ? view.getInt32(o, false)
          : code.type === 'float32' ? view.getFloat32(o, false)
          : view.getFloat64(o, false);
      }
      data = out;
    }
  }
  return { type: code.type, dims, data };
}

/** Reads and parses an IDX file (plain or `.gz`). */
export async function readIdxFile(path: string): Promise<IdxArray> {
  return parseIdx(new Uint8Array(await readFile(path)), path);
}

/**
 * Serialises an array in IDX format (big-endian), the inverse of {@link parseIdx}; used to
 * write test fixtures and exported subsets.
 */
export function encodeIdx(type: IdxType, dims: number[], values: ArrayLike<number>): Uint8Array {
  const code = Number(Object.keys(TYPE_CODES).find((k) => TYPE_CODES[Number(k)].type === type));
  const size = TYPE_CODES[code].size;
  const count = dims.reduce((a, b) => a * b, 1);
  if (values.length !== count) throw new Error(`encodeIdx: ${values.length} values for dims [${dims.join(', ')}]`);
  const out = new Uint8Array(4 + 4 * dims.length + count * size);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const base = 4 + 4 * dims.length;
  for (let i = 0; i < count; i++) {
    const o = base + i * size;
    const v = values[i];
    if (type === 'uint8') view.setUint8(o, v);
    else if (type === 'int8') view.setInt8(o, v);
    else if (type === 'int16') view.setInt16(o, v, false);
    else if (type === 'int32') view.setInt32(o, v, false);
    else if (type === 'float32') view.setFloat32(o, v, false);
    else view.setFloat64(o, v, false);
  }
  return out;
}
