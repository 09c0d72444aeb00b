import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initTrainingBackend } from '../../../src/models/pretrain/trainingBackend.js';

/** Gradients of Σ conv2d(x, w)·r with respect to x and w on the given backend. */
async function convGrads(backend: string, xs: number[], ws: number[], pad: 'same' | 'valid') {
  await tf.setBackend(backend);
  return tf.tidy(() => {
    const x = tf.randomUniform(xs as [number, number, number, number], -1, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomUniform(ws as [number, number, number, number], -1, 1, 'float32', 2) as tf.Tensor4D;
    const outShape = tf.conv2d(x, w, 1, pad).shape;
    const r = tf.randomUniform(outShape, -1, 1, 'float32', 3);
    const [gx, gw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, pad), r)))([x, w]);
    return [Array.from(gx.dataSync()), Array.from(gw.dataSync())];
  });
}

test('wasm conv2d gradients (re-registered as convolutions) equal the cpu backend', async () => {
  await initTrainingBackend('wasm');
  const cases: Array<[number[], number[], 'same' | 'valid']> = [
    [[2, 7, 6, 3], [3, 3, 3, 4], 'same'],
    [[2, 7, 6, 3], [3, 3, 3, 4], 'valid'],
    [[2, 5, 5, 3], [1, 1, 3, 2], 'same'],
    [[1, 6, 6, 2], [2, 2, 2, 3], 'same'],
  ];
  for (const [xs, ws, pad] of cases) {
    const cpu = await convGrads('cpu', xs, ws, pad);
    const wasm = await convGrads('wasm', xs, ws, pad);
    for (let k = 0; k < 2; k++) {
      const diff = Math.max(...cpu[k].map((v, i) => Math.abs(v - wasm[k][i])));
      assert.ok(diff < 1e-4, `${JSON.stringify([xs, ws, pad])} ${k ? 'dW' : 'dx'} differs by ${diff}`);
    }
  }
  await tf.setBackend('wasm');
  // Strided filter gradients are refused with a message instead of silently wrong numbers.
  assert.throws(() => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(tf.ones([1, 4, 4, 1]) as tf.Tensor4D, w as tf.Tensor4D, 2, 'same')))(tf.ones([3, 3, 1, 1])), /only stride-1/);
});
