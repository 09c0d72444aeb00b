import { test } from 'node:test';
import assert from 'node:assert/strict';
import { preprocessImages, resolvePreprocess, resizedSize, preprocessForInputShape, type PreprocessSpec } from '../../src/models/preprocess.js';
import { UsageError } from '../../src/util/errors.js';

const unit = (h: number, w: number, c: 1 | 3, resize: number | null = null): PreprocessSpec => ({
  name: 'custom', height: h, width: w, channels: c, resize, mean: new Array(c).fill(0), std: new Array(c).fill(1),
});

test('bilinear 2×2 → 4×4 upsample equals torch.nn.functional.interpolate(align_corners=False)', () => {
  // torch.nn.functional.interpolate(torch.tensor([[[[0.,1.],[2.,3.]]]]), size=4, mode='bilinear', align_corners=False)
  const expected = [0, 0.25, 0.75, 1, 0.5, 0.75, 1.25, 1.5, 1.5, 1.75, 2.25, 2.5, 2, 2.25, 2.75, 3];
  const out = preprocessImages(new Float32Array([0, 1, 2, 3]), 1, 2, 2, 1, unit(4, 4, 1));
  assert.deepEqual(Array.from(out), expected);
});

test('same size without resize is an exact copy; normalisation is (x - mean) / std per channel', () => {
  const img = new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]); // 1×2×1×3
  const same = preprocessImages(img, 1, 1, 2, 3, unit(1, 2, 3));
  assert.deepEqual(same, img);
  const spec = { ...unit(1, 2, 3), mean: [0.1, 0.2, 0.3], std: [0.5, 0.25, 0.1] };
  const norm = preprocessImages(img, 1, 1, 2, 3, spec);
  const want = [0, 0, 0, (0.4 - 0.1) / 0.5, (0.5 - 0.2) / 0.25, (0.6 - 0.3) / 0.1];
  want.forEach((v, i) => assert.ok(Math.abs(norm[i] - v) < 1e-6, `value ${i}: ${norm[i]} vs ${v}`));
});

test('NCHW layout transposes; grayscale is copied to three channels; RGB to gray uses luma weights', () => {
  const gray = new Float32Array([0.2, 0.4]); // 1×1×2×1
  const rgb = preprocessImages(gray, 1, 1, 2, 1, unit(1, 2, 3), 'NHWC');
  assert.deepEqual(Array.from(rgb), [0.2, 0.2, 0.2, 0.4, 0.4, 0.4].map(Math.fround));
  const nchw = preprocessImages(new Float32Array([1, 2, 3, 4, 5, 6]), 1, 1, 2, 3, unit(1, 2, 3), 'NCHW');
  assert.deepEqual(Array.from(nchw), [1, 4, 2, 5, 3, 6]);
  const toGray = preprocessImages(new Float32Array([1, 0, 0, 0, 0, 1]), 1, 1, 2, 3, unit(1, 2, 1));
  assert.ok(Math.abs(toGray[0] - 0.299) < 1e-6 && Math.abs(toGray[1] - 0.114) < 1e-6);
});

test('resize shorter side then centre crop (torchvision Resize(256) + CenterCrop(224) geometry)', () => {
  const spec = resolvePreprocess('imagenet');
  assert.deepEqual(resizedSize(300, 400, spec), [256, 341]);
  assert.deepEqual(resizedSize(32, 32, spec), [256, 256]);
  // A 1×4 row resized (shorter side 1 → 1) and cropped to its centre 1×2: columns 1 and 2.
  const crop = preprocessImages(new Float32Array([0, 1, 2, 3]), 1, 1, 4, 1, unit(1, 2, 1, 1));
  assert.deepEqual(Array.from(crop), [1, 2]);
  const big = preprocessImages(new Float32Array(2 * 32 * 32 * 3).fill(0.5), 2, 32, 32, 3, spec, 'NCHW');
  assert.equal(big.length, 2 * 3 * 224 * 224);
  assert.ok(Math.abs(big[0] - (0.5 - 0.485) / 0.229) < 1e-5);
});

test('resolvePreprocess: presets, JSON specs, and clear errors', () => {
  assert.equal(resolvePreprocess('half').mean[0], 0.5);
  assert.equal(resolvePreprocess('zoo').channels, 1);
  const custom = resolvePreprocess('{"height":32,"width":32,"resize":null,"mean":[0.5,0.5,0.5],"std":[0.2,0.2,0.2]}');
  assert.equal(custom.name, 'custom');
  assert.equal(custom.height, 32);
  assert.throws(() => resolvePreprocess('nope'), (e: Error) => e instanceof UsageError && /unknown preset 'nope'/.test(e.message));
  assert.throws(() => resolvePreprocess('{"std":[0,1,1]}'), /std values must be positive/);
  assert.equal(preprocessForInputShape(28, 28, 1).name, 'zoo');
  assert.equal(preprocessForInputShape(224, 224, 3).resize, 256);
});
