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
 * Downloads the outputs of one forward pass (each n×d) as row-major Float32Arrays and disposes every
 * tensor, even when a read fails, so no extractor leaks a batch's outputs (tf.memory() stays flat).
 */
export async function readAllAndDispose(outputs: tf.Tensor[]): Promise<Float32Array[]> {
  try {
    return (await Promise.all(outputs.map((t) => t.data()))) as Float32Array[];
  } finally {
    for (const t of outputs) t.dispose();
  }
}
