import { test } from 'node:test';
import assert from 'node:assert/strict';
import jpeg from 'jpeg-js';
import { decodeImage, toTensorImage } from '../../src/datasets/imageFile.js';
import { encodePng } from '../../src/datasets/png.js';

test('decodes JPEG (pure JS) and PNG by magic number', () => {
  const w = 16, h = 8;
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([200, 100, 50, 255], i * 4);
  const jpg = jpeg.encode({ data: rgba, width: w, height: h }, 95).data;
  const img = decodeImage(new Uint8Array(jpg), 'a.jpg');
  assert.deepEqual([img.width, img.height, img.channels], [16, 8, 3]);
  // A flat colour survives JPEG within a few levels.
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(img.data[i] - [200, 100, 50][i]) <= 4, `channel ${i}: ${img.data[i]}`);
  const png = decodeImage(encodePng({ width: 2, height: 1, channels: 1, data: Uint8Array.from([0, 255]) }));
  assert.deepEqual(Array.from(png.data), [0, 255]);
  assert.throws(() => decodeImage(Uint8Array.from([1, 2, 3, 4]), 'x.gif'), /x\.gif: unsupported image format/);
});

test('resize shorter side + centre crop + bilinear, RGB and luma', () => {
  // 4×2 grey image: left half 0, right half 255. Resize to 2×2: shorter side 2 → scale 1,
  // centre crop of width 2 keeps columns 1..2 → [0, 255] per row.
  const img = { width: 4, height: 2, channels: 1 as const, data: Uint8Array.from([0, 0, 255, 255, 0, 0, 255, 255]) };
  const out = toTensorImage(img, 2, 3);
  assert.deepEqual(Array.from(out), [0, 0, 0, 1, 1, 1, 0, 0, 0, 1, 1, 1]);
  // Downscale 2×2 → 1×1 samples the centre: mean of all four pixels.
  const four = { width: 2, height: 2, channels: 3 as const, data: Uint8Array.from([0, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0]) };
  const one = toTensorImage(four, 1, 1);
  assert.ok(Math.abs(one[0] - 0.5) < 1e-6);
  // Luma weights 0.299, 0.587, 0.114 of pure red.
  const red = toTensorImage({ width: 1, height: 1, channels: 3, data: Uint8Array.from([255, 0, 0]) }, 1, 1);
  assert.ok(Math.abs(red[0] - 0.299) < 1e-6);
});
