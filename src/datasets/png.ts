import { inflateSync, deflateSync } from 'node:zlib';
import { FileFormatError } from '../util/errors.js';

/** A decoded 8-bit image: `data` is height×width×channels row-major bytes. */
export interface DecodedImage {
  width: number;
  height: number;
  channels: 1 | 2 | 3 | 4;
  data: Uint8Array;
}

const SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

/** True when bytes start with the PNG signature. */
export function isPng(bytes: Uint8Array): boolean {
  return SIGNATURE.every((b, i) => bytes[i] === b);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/**
 * Decodes a non-interlaced PNG with bit depth 8 (grey, grey+alpha, RGB, RGBA) or a palette
 * (bit depth 1–8, expanded to RGB/RGBA) using node:zlib; no native dependencies.
 */
export function decodePng(bytes: Uint8Array, file = '<buffer>'): DecodedImage {
  if (!isPng(bytes)) throw new FileFormatError(file, 'not a PNG file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 8;
  let width = 0, height = 0, depth = 0, colour = 0, interlace = 0;
  let palette: Uint8Array | undefined;
  let transparency: Uint8Array | undefined;
  const idat: Uint8Array[] = [];
  while (pos + 8 <= bytes.length) {
    const len = view.getUint32(pos);
    const type = String.fromCharCode(...bytes.subarray(pos + 4, pos + 8));
    const body = bytes.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = view.getUint32(pos + 8);
      height = view.getUint32(pos + 12);
      depth = body[8];
      colour = body[9];
      interlace = body[12];
    } else if (type === 'PLTE') palette = body;
    else if (type === 'tRNS') transparency = body;
    else if (type === 'IDAT') idat.push(body);
    else if (type === 'IEND') break;
    pos += 12 + len;
  }
  if (interlace) throw new FileFormatError(file, 'interlaced PNG is not supported');
  const samples: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };
  if (!(colour in samples)) throw new FileFormatError(file, `unknown PNG colour type ${colour}`);
  if (colour !== 3 && depth !== 8) throw new FileFormatError(file, `PNG bit depth ${depth} is not supported (only 8, or palette)`);
  const raw = new Uint8Array(inflateSync(Buffer.concat(idat)));
  const spp = samples[colour];
  const bitsPerPixel = spp * depth;
  const stride = Math.ceil((width * bitsPerPixel) / 8);
  const bpp = Math.max(1, bitsPerPixel >> 3);
  if (raw.length < height * (stride + 1)) throw new FileFormatError(file, 'truncated PNG image data');
  const rows = new Uint8Array(height * stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const src = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = rows.subarray(y * stride, (y + 1) * stride);
    const prev = y > 0 ? rows.subarray((y - 1) * stride, y * stride) : undefined;
    for (let i = 0; i < stride; i++) {
      const a = i >= bpp ? out[i - bpp] : 0;
      const b = prev ? prev[i] : 0;
      const c = prev && i >= bpp ? prev[i - bpp] : 0;
      const x = src[i];
      out[i] = filter === 0 ? x : filter === 1 ? x + a : filter === 2 ? x + b : filter === 3 ? x + ((a + b) >> 1) : filter === 4 ? x + paeth(a, b, c) : NaN;
      if (filter > 4) throw new FileFormatError(file, `bad PNG filter type ${filter}`);
    }
  }
  if (colour !== 3) return { width, height, channels: spp as 1 | 2 | 3 | 4, data: rows };
  if (!palette) throw new FileFormatError(file, 'palette PNG without PLTE chunk');
  const channels = transparency ? 4 : 3;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = rows[y * stride + (bit >> 3)];
      const index = (byte >> (8 - depth - (bit & 7))) & ((1 << depth) - 1);
      const o = (y * width + x) * channels;
      data[o] = palette[3 * index];
      data[o + 1] = palette[3 * index + 1];
      data[o + 2] = palette[3 * index + 2];
      if (channels === 4) data[o + 3] = transparency && index < transparency.length ? transparency[index] : 255;
    }
  }
  return { width, height, channels, data };
}

function crc32(bytes: Uint8Array): number {
  let c = ~0;
  for (let i = 0; i < bytes.length; i++) {
    c ^= bytes[i];
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1));
  }
  return ~c >>> 0;
}

/** Encodes 8-bit grey/grey+alpha/RGB/RGBA pixels as a PNG (filter 0), for fixtures and exports. */
export function encodePng(img: DecodedImage): Uint8Array {
  const colour = { 1: 0, 2: 4, 3: 2, 4: 6 }[img.channels];
  const stride = img.width * img.channels;
  const raw = new Uint8Array(img.height * (stride + 1));
  for (let y = 0; y < img.height; y++) raw.set(img.data.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  const chunk = (type: string, body: Uint8Array) => {
    const out = new Uint8Array(12 + body.length);
    const v = new DataView(out.buffer);
    v.setUint32(0, body.length);
    out.set(Buffer.from(type, 'latin1'), 4);
    out.set(body, 8);
    v.setUint32(8 + body.length, crc32(out.subarray(4, 8 + body.length)));
    return out;
  };
  const ihdr = new Uint8Array(13);
  const hv = new DataView(ihdr.buffer);
  hv.setUint32(0, img.width);
  hv.setUint32(4, img.height);
  ihdr[8] = 8;
  ihdr[9] = colour;
  return Buffer.concat([Buffer.from(SIGNATURE), chunk('IHDR', ihdr), chunk('IDAT', new Uint8Array(deflateSync(raw))), chunk('IEND', new Uint8Array(0))]);
}
