import { inflateSync, deflateSync } from 'node:zlib';
import { FileFormatError } from '../util/errors.js';

// MAT-file v5 data types (MATLAB "MAT-File Format" reference, table 1-1).
const MI = { INT8: 1, UINT8: 2, INT16: 3, UINT16: 4, INT32: 5, UINT32: 6, SINGLE: 7, DOUBLE: 9, INT64: 12, UINT64: 13, MATRIX: 14, COMPRESSED: 15 } as const;
const SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 7: 4, 9: 8, 12: 8, 13: 8 };

/** A numeric MATLAB array: dims (column-major as stored) and values as float64 in column-major order. */
export interface MatArray {
  dims: number[];
  values: Float64Array;
}

interface Element {
  type: number;
  body: Uint8Array;
  next: number;
}

function readElement(bytes: Uint8Array, pos: number, file: string): Element {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const first = v.getUint32(pos, true);
  if (first >>> 16 !== 0) {
    // Small data element: type and size packed in one word, data in the next 4 bytes.
    const size = first >>> 16;
    return { type: first & 0xffff, body: bytes.subarray(pos + 4, pos + 4 + size), next: pos + 8 };
  }
  const size = v.getUint32(pos + 4, true);
  if (pos + 8 + size > bytes.length) throw new FileFormatError(file, 'truncated MAT-file element');
  const padded = first === MI.COMPRESSED ? size : Math.ceil(size / 8) * 8;
  return { type: first, body: bytes.subarray(pos + 8, pos + 8 + size), next: pos + 8 + padded };
}

function numbers(el: Element, file: string): Float64Array {
  const size = SIZES[el.type];
  if (!size) throw new FileFormatError(file, `unsupported MAT numeric type ${el.type}`);
  const v = new DataView(el.body.buffer, el.body.byteOffset, el.body.byteLength);
  const n = el.body.byteLength / size;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * size;
    out[i] =
      el.type === MI.INT8 ? v.getInt8(o) : el.type === MI.UINT8 ? v.getUint8(o)
      : el.type === MI.INT16 ? v.getInt16(o, true) : el.type === MI.UINT16 ? v.getUint16(o, true)
      : el.type === MI.INT32 ? v.getInt32(o, true) : el.type === MI.UINT32 ? v.getUint32(o, true)
      : el.type === MI.SINGLE ? v.getFloat32(o, true) : el.type === MI.DOUBLE ? v.getFloat64(o, true)
      : el.type === MI.INT64 ? Number(v.getBigInt64(o, true)) : Number(v.getBigUint64(o, true));
  }
  return out;
}

/**
 * Reads the real numeric matrices of a little-endian MAT-file v5 (as Flowers102's
 * imagelabels.mat and setid.mat are), including zlib-compressed elements. Returns arrays by
 * variable name; cells, structs, sparse and complex arrays are skipped.
 */
export function parseMatV5(input: Uint8Array, file = '<buffer>'): Record<string, MatArray> {
  if (input.length < 128) throw new FileFormatError(file, 'too short for a MAT-file v5 header');
  if (input[126] !== 0x49 || input[127] !== 0x4d) throw new FileFormatError(file, 'not a little-endian MAT-file v5 (missing IM endian indicator)');
  const out: Record<string, MatArray> = {};
  const visit = (bytes: Uint8Array, start: number) => {
    let pos = start;
    while (pos + 8 <= bytes.length) {
      const el = readElement(bytes, pos, file);
      if (el.type === MI.COMPRESSED) visit(new Uint8Array(inflateSync(el.body)), 0);
      else if (el.type === MI.MATRIX) {
        const flags = readElement(el.body, 0, file);
        const cls = new DataView(flags.body.buffer, flags.body.byteOffset, 8).getUint32(0, true) & 0xff;
        const complex = (new DataView(flags.body.buffer, flags.body.byteOffset, 8).getUint32(0, true) >> 11) & 1;
        const dimsEl = readElement(el.body, flags.next, file);
        const nameEl = readElement(el.body, dimsEl.next, file);
        const name = Buffer.from(nameEl.body).toString('latin1');
        // Classes 6..15 are numeric (double, single, int8 … uint64).
        if (cls >= 6 && cls <= 15 && !complex) {
          const real = readElement(el.body, nameEl.next, file);
          out[name] = { dims: Array.from(numbers(dimsEl, file)), values: numbers(real, file) };
        }
      }
      pos = el.next;
    }
  };
  visit(input, 128);
  return out;
}

/**
 * Writes numeric arrays as a MAT-file v5 (double class, row vectors or column-major dims),
 * optionally zlib-compressed per variable, like MATLAB's default `save`. Used for fixtures.
 */
export function encodeMatV5(vars: Record<string, MatArray>, compress = true): Uint8Array {
  const header = Buffer.alloc(128, 0x20);
  header.write('MATLAB 5.0 MAT-file, written by diffused-redundancy', 0, 'latin1');
  header.writeUInt16LE(0x0100, 124);
  header.write('IM', 126, 'latin1');
  const el = (type: number, body: Uint8Array) => {
    const padded = Math.ceil(body.length / 8) * 8;
    const b = Buffer.alloc(8 + padded);
    b.writeUInt32LE(type, 0);
    b.writeUInt32LE(body.length, 4);
    Buffer.from(body).copy(b, 8);
    return b;
  };
  const parts: Buffer[] = [header];
  for (const [name, arr] of Object.entries(vars)) {
    const flags = Buffer.alloc(8);
    flags.writeUInt32LE(6, 0); // mxDOUBLE_CLASS
    const dims = Buffer.alloc(4 * arr.dims.length);
    arr.dims.forEach((d, i) => dims.writeInt32LE(d, 4 * i));
    const values = Buffer.alloc(8 * arr.values.length);
    arr.values.forEach((x, i) => values.writeDoubleLE(x, 8 * i));
    const matrix = el(MI.MATRIX, Buffer.concat([el(MI.UINT32, flags), el(MI.INT32, dims), el(MI.INT8, Buffer.from(name, 'latin1')), el(MI.DOUBLE, values)]));
    if (compress) {
      const z = deflateSync(matrix);
      const b = Buffer.alloc(8 + z.length);
      b.writeUInt32LE(MI.COMPRESSED, 0);
      b.writeUInt32LE(z.length, 4);
      z.copy(b, 8);
      parts.push(b);
    } else parts.push(matrix);
  }
  return Buffer.concat(parts);
}
