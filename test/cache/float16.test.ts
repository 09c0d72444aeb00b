import { test } from 'node:test';
import assert from 'node:assert/strict';
import { float16ArrayToFloat32, float16BitsToFloat32 } from '../../src/cache/float16.js';

// Expected values computed by hand from the binary16 layout (sign, 5-bit exponent bias 15, 10-bit mantissa).
const CASES: [number, number][] = [
  [0x0000, 0],
  [0x3c00, 1], // exponent 15, mantissa 0
  [0xc000, -2], // sign, exponent 16
  [0x3555, 0.333251953125], // (1 + 341/1024) × 2^-2
  [0x7bff, 65504], // largest finite: (2 - 2^-10) × 2^15
  [0x0400, 2 ** -14], // smallest normal
  [0x0001, 2 ** -24], // smallest subnormal: 1 × 2^-24
  [0x03ff, 1023 * 2 ** -24], // largest subnormal
  [0x8001, -(2 ** -24)],
  [0x7c00, Infinity],
  [0xfc00, -Infinity],
];

test('float16BitsToFloat32 matches hand-computed values incl. subnormals and infinities', () => {
  for (const [bits, want] of CASES) assert.equal(float16BitsToFloat32(bits), want, `bits 0x${bits.toString(16)}`);
});

test('negative zero keeps its sign and NaN patterns give NaN', () => {
  assert.ok(Object.is(float16BitsToFloat32(0x8000), -0));
  for (const bits of [0x7c01, 0x7e00, 0xfe00, 0x7fff]) assert.ok(Number.isNaN(float16BitsToFloat32(bits)), `0x${bits.toString(16)}`);
});

test('bulk conversion equals the scalar one for every one of the 65,536 patterns', () => {
  const all = new Uint16Array(65536);
  for (let i = 0; i < all.length; i++) all[i] = i;
  const out = float16ArrayToFloat32(all);
  for (let i = 0; i < all.length; i++) {
    const want = Math.fround(float16BitsToFloat32(i));
    assert.ok(Object.is(out[i], want) || (Number.isNaN(out[i]) && Number.isNaN(want)), `0x${i.toString(16)}`);
  }
  assert.throws(() => float16ArrayToFloat32(all, new Float32Array(3)), /destination holds 3 values/);
});
