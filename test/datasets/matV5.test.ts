import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMatV5, encodeMatV5 } from '../../src/datasets/matV5.js';

test('round trip of compressed and uncompressed double arrays', () => {
  const vars = { labels: { dims: [1, 5], values: Float64Array.from([77, 77, 1, 102, 5]) }, trnid: { dims: [1, 2], values: Float64Array.from([3, 4]) } };
  for (const compress of [true, false]) {
    const parsed = parseMatV5(encodeMatV5(vars, compress));
    assert.deepEqual(parsed.labels.dims, [1, 5]);
    assert.deepEqual(Array.from(parsed.labels.values), [77, 77, 1, 102, 5]);
    assert.deepEqual(Array.from(parsed.trnid.values), [3, 4]);
  }
});

test('hand-assembled uncompressed file with a uint16 small data element', () => {
  // Header (128 bytes, "IM" at 126), then miMATRIX with: flags (class 11 = uint16),
  // dims [1 2], name 'v' as a small element, real part as a small element of 2 uint16s (7, 9).
  const h = Buffer.alloc(128, 0x20);
  h.writeUInt16LE(0x0100, 124);
  h.write('IM', 126, 'latin1');
  const body = Buffer.alloc(48);
  body.writeUInt32LE(6, 0); body.writeUInt32LE(8, 4); body.writeUInt32LE(11, 8); // flags: miUINT32, 8 bytes, class 11
  body.writeUInt32LE(5, 16); body.writeUInt32LE(8, 20); body.writeInt32LE(1, 24); body.writeInt32LE(2, 28); // dims
  body.writeUInt32LE((1 << 16) | 1, 32); body.write('v', 36, 'latin1'); // small miINT8 name
  body.writeUInt32LE((4 << 16) | 4, 40); body.writeUInt16LE(7, 44); body.writeUInt16LE(9, 46); // small miUINT16 data
  const tag = Buffer.alloc(8);
  tag.writeUInt32LE(14, 0);
  tag.writeUInt32LE(body.length, 4);
  const parsed = parseMatV5(Buffer.concat([h, tag, body]));
  assert.deepEqual(parsed.v.dims, [1, 2]);
  assert.deepEqual(Array.from(parsed.v.values), [7, 9]);
  assert.throws(() => parseMatV5(new Uint8Array(200), 'x.mat'), /x\.mat: not a little-endian MAT-file v5/);
});
