import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import { initTrainingBackend } from '../../../src/models/pretrain/trainingBackend.js';
import { crossEntropyLoss, decovPenalty, mrlLoss, pgdL2Attack, projectL2Ball, type MrlHead } from '../../../src/models/pretrain/losses.js';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const ce = (logits: number[], y: number) => {
  const m = Math.max(...logits);
  const lse = m + Math.log(logits.reduce((s, v) => s + Math.exp(v - m), 0));
  return lse - logits[y];
};

test('cross-entropy equals −log softmax by hand', async () => {
  await initTrainingBackend('wasm');
  const v = crossEntropyLoss(tf.tensor2d([[1, 2, 3], [0, 0, 0]]), tf.tensor1d([2, 0], 'int32')).dataSync()[0];
  close(v, (ce([1, 2, 3], 2) + Math.log(3)) / 2);
});

test('DeCov: ½(‖C‖²_F − ‖diag C‖²) of the batch covariance, by hand', async () => {
  await initTrainingBackend('wasm');
  // h = [[1,2],[3,0],[5,4]]: mean [3,2], centred [[-2,0],[0,-2],[2,2]],
  // C = (1/3)[[8,4],[4,8]] → ‖C‖²_F = 160/9, ‖diag‖² = 128/9, penalty = ½·32/9 = 16/9.
  close(decovPenalty(tf.tensor2d([[1, 2], [3, 0], [5, 4]])).dataSync()[0], 16 / 9);
  // Uncorrelated features (diagonal covariance) cost nothing.
  close(decovPenalty(tf.tensor2d([[1, 0], [-1, 0], [0, 1], [0, -1]])).dataSync()[0], 0);
});

test('Matryoshka loss = full CE + CE of each prefix head, by hand', async () => {
  await initTrainingBackend('wasm');
  const h = tf.tensor2d([[1, 2, -1]]);
  const y = tf.tensor1d([1], 'int32');
  const heads: MrlHead[] = [
    { k: 1, kernel: tf.variable(tf.tensor2d([[0.5, -0.5]])), bias: tf.variable(tf.tensor1d([0, 1])) },
    { k: 2, kernel: tf.variable(tf.tensor2d([[1, 0], [0, 1]])), bias: tf.variable(tf.tensor1d([0, 0])) },
  ];
  const full = tf.tensor2d([[0.3, 0.1]]);
  // head k=1: logits [0.5, -0.5+1] = [0.5, 0.5]; head k=2: logits [1, 2].
  const expected = ce([0.3, 0.1], 1) + ce([0.5, 0.5], 1) + ce([1, 2], 1);
  close(mrlLoss(h, heads, y, full).dataSync()[0], expected);
  close(mrlLoss(h, heads, y).dataSync()[0], ce([0.5, 0.5], 1) + ce([1, 2], 1));
});

test('L2 projection and PGD: perturbation stays in the ball and the image range, loss rises', async () => {
  await initTrainingBackend('wasm');
  const d = projectL2Ball(tf.tensor4d([3, 4, 0, 0, 0.1, 0, 0, 0], [2, 2, 2, 1]), 1).arraySync() as number[][][][];
  close(d[0][0][0][0], 0.6);
  close(d[0][0][1][0], 0.8);
  close(d[1][0][0][0], 0.1); // already inside: unchanged
  // A fixed linear "model" on 2×2 images: logits = [Σx, −Σx].
  const logitsOf = (x: tf.Tensor4D) => tf.tidy(() => {
    const s = tf.reshape(tf.sum(x, [1, 2, 3]), [-1, 1]);
    return tf.concat([s, tf.neg(s)], 1) as tf.Tensor2D;
  });
  const x = tf.tensor4d([0.5, 0.5, 0.5, 0.5, 0.9, 0.1, 0.2, 0.3], [2, 2, 2, 1]);
  const y = tf.tensor1d([0, 0], 'int32');
  const eps = 0.5;
  const adv = pgdL2Attack(logitsOf, x, y, { eps, steps: 5 });
  const delta = tf.sub(adv, x);
  const norms = tf.sqrt(tf.sum(tf.square(delta), [1, 2, 3])).dataSync();
  for (const n of norms) assert.ok(n <= eps + 1e-5, `‖δ‖ = ${n}`);
  const a = adv.dataSync();
  for (const v of a) assert.ok(v >= 0 && v <= 1);
  // The loss-increasing direction for class 0 is −1 on every pixel: the attack uses the whole ball.
  close(norms[0], eps, 1e-4);
  assert.ok(crossEntropyLoss(logitsOf(adv), y).dataSync()[0] > crossEntropyLoss(logitsOf(x), y).dataSync()[0]);
});
