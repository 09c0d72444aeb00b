import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { decodePng, encodePng } from '../../src/datasets/png.js';

test('round trip of grey, RGB and RGBA images', () => {
  for (const channels of [1, 2, 3, 4] as const) {
    const data = Uint8Array.from({ length: 5 * 3 * channels }, (_, i) => (i * 37) % 256);
    const img = decodePng(encodePng({ width: 5, height: 3, channels, data }));
    assert.deepEqual([img.width, img.height, img.channels], [5, 3, channels]);
    assert.deepEqual(Array.from(img.data), Array.from(data));
  }
});

/** Builds a PNG by hand from raw filtered scanlines (for filters and palettes). */
function pngFrom(ihdr: number[], raw: number[], extra: Array<[string, number[]]> = []): Uint8Array {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Uint8Array) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, body: Uint8Array) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    Buffer.from(body).copy(out, 8);
    out.writeUInt32BE(crc(out.subarray(4, 8 + body.length)), 8 + body.length);
    return out;
  };
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', Uint8Array.from(ihdr)),
    ...extra.map(([t, b]) => chunk(t, Uint8Array.from(b))),
    chunk('IDAT', deflateSync(Uint8Array.from(raw))),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

test('undoes Sub, Up, Average and Paeth filters (values computed by hand)', () => {
  // 3×4 grey, 8-bit. Row 0 Sub: 10, +5, +5, +5 → 10 15 20 25.
  // Row 1 Up: +1 each → 11 16 21 26. Row 2 Average: a=left, b=up:
  //  x0: 4 + floor((0+11)/2)=9; x1: 4 + floor((9+16)/2)=16; x2: 4+floor((16+21)/2)=22; x3: 4+floor((22+26)/2)=28.
  // Row 3 Paeth with all-zero deltas copies the predictor: x0 → b (=9), x1: a=9,b=16,c=9 → p=16 → b=16,
  //  x2: a=16,b=22,c=16 → 22, x3: a=22,b=28,c=22 → 28.
  const ihdr = [0, 0, 0, 4, 0, 0, 0, 4, 8, 0, 0, 0, 0];
  const raw = [1, 10, 5, 5, 5, 2, 1, 1, 1, 1, 3, 4, 4, 4, 4, 4, 0, 0, 0, 0];
  const img = decodePng(pngFrom(ihdr, raw));
  assert.deepEqual(Array.from(img.data), [10, 15, 20, 25, 11, 16, 21, 26, 9, 16, 22, 28, 9, 16, 22, 28]);
});

test('expands a 2-bit palette image', () => {
  // 4×1, bit depth 2, colour type 3; indices 0,1,2,3 packed in one byte 0b00011011.
  const ihdr = [0, 0, 0, 4, 0, 0, 0, 1, 2, 3, 0, 0, 0];
  const plte: Array<[string, number[]]> = [['PLTE', [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]]];
  const img = decodePng(pngFrom(ihdr, [0, 0b00011011], plte));
  assert.equal(img.channels, 3);
  assert.deepEqual(Array.from(img.data), [0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255]);
  assert.throws(() => decodePng(Uint8Array.from([1, 2, 3]), 'x.png'), /x\.png: not a PNG/);
});
