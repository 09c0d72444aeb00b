import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { createWasmLinalg } from '../../src/linalg/wasm.js';
import { assertAgreesWithReference } from './agreement.js';

test('tfjs-wasm linalg agrees with the reference and restores the active TF.js backend', async () => {
  await tf.setBackend('cpu');
  const l = await createWasmLinalg({ smallFlops: 0, rowBlock: 50 });
  await assertAgreesWithReference(l, 2e-6);
  assert.equal(tf.getBackend(), 'cpu');
});
