import * as tf from '@tensorflow/tfjs-core';
import { selectTfBackend, TF_BACKEND_ORDER } from '../backend/index.js';

/** TF.js backends extraction can run on; `auto` lets src/backend choose (tfjs-node-gpu > tfjs-node > wasm > cpu). */
export type TfBackendChoice = 'auto' | (typeof TF_BACKEND_ORDER)[number];

/** Backend names accepted by `dr extract --backend` for TF.js models. */
export const TF_BACKEND_CHOICES: readonly TfBackendChoice[] = ['auto', ...TF_BACKEND_ORDER];

/**
 * Makes a TF.js backend active (through src/backend's `selectTfBackend`, which detects
 * @tensorflow/tfjs-node-gpu with a CUDA device, @tensorflow/tfjs-node, wasm, cpu at run time)
 * and returns the TF.js backend name now in use (`tensorflow`, `wasm`, `cpu`).
 * @throws UsageError when a forced backend cannot start here.
 */
export async function useTfBackend(choice: TfBackendChoice = 'auto'): Promise<string> {
  await selectTfBackend(choice === 'auto' ? {} : { force: choice });
  return tf.getBackend();
}

/**
 * Downloads an n×d feature tensor as a row-major Float32Array and disposes it, so no extractor
 * leaks the batch's output tensor (tf.memory() stays flat across batches).
 */
export async function readFeaturesAndDispose(features: tf.Tensor): Promise<Float32Array> {
  try {
    return (await features.data()) as Float32Array;
  } finally {
    features.dispose();
  }
}
