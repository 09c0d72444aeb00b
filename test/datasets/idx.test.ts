import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseIdx, readIdxFile, encodeIdx } from '../../src/datasets/idx.js';
import { FileFormatError } from '../../src/util/errors.js';

// Hand-written IDX bytes: magic 00 00 08 03, dims 2×2×3 (big-endian), then 12 pixel bytes.
const images = Uint8Array.from([0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
// Labels: 00 00 08 01, count 2, labels 7 and 9.
const labels = Uint8Array.from([0, 0, 8, 1, 0, 0, 0, 2, 7, 9]);

test('parses hand-written uint8 IDX images and labels', () => {
  const im = parseIdx(images);
  assert.equal(im.type, 'uint8');
  assert.deepEqual(im.dims, [2, 2, 3]);
  assert.deepEqual(Array.from(im.data), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
  assert.deepEqual(Array.from(parseIdx(labels).data), [7, 9]);
});

test('reads plain and gzipped files identically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'idx-'));
  writeFileSync(join(dir, 'a-idx3-ubyte'), images);
  writeFileSync(join(dir, 'a-idx3-ubyte.gz'), gzipSync(images));
  const plain = await readIdxFile(join(dir, 'a-idx3-ubyte'));
  const gz = await readIdxFile(join(dir, 'a-idx3-ubyte.gz'));
  assert.deepEqual(gz.dims, plain.dims);
  assert.deepEqual(Array.from(gz.data), Array.from(plain.data));
});

test('big-endian int32 and float32 values', () => {
  // 00 00 0C 01, dim 2, values 1 and -2 as big-endian int32.
  const ints = Uint8Array.from([0, 0, 0x0c, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]);
  assert.deepEqual(Array.from(parseIdx(ints).data), [1, -2]);
  // 1.5 as big-endian float32 is 3F C0 00 00.
  const floats = Uint8Array.from([0, 0, 0x0d, 1, 0, 0, 0, 1, 0x3f, 0xc0, 0, 0]);
  assert.deepEqual(Array.from(parseIdx(floats).data), [1.5]);
  assert.deepEqual(encodeIdx('float32', [1], [1.5]), floats);
  assert.deepEqual(encodeIdx('uint8', [2, 2, 3], Array.from(images.subarray(16))), images);
});

test('rejects bad magic and truncated data with the file name', () => {
  assert.throws(() => parseIdx(Uint8Array.from([1, 2, 8, 1]), 'x.idx'), (e: unknown) => e instanceof FileFormatError && /x\.idx: not an IDX/.test(e.message));
  assert.throws(() => parseIdx(images.subarray(0, images.length - 1), 'short'), /size mismatch/);
  assert.throws(() => parseIdx(Uint8Array.from([0, 0, 0x42, 1, 0, 0, 0, 0])), /unknown IDX element type/);
});
