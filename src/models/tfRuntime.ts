import * as tf from '@tensorflow/tfjs-core';
import { UsageError } from '../util/errors.js';

/** TF.js backends extraction can run on; `auto` lets src/backend choose (tfjs-node-gpu > tfjs-node > wasm > cpu). */
export type TfBackendChoice = 'auto' | 'wasm' | 'cpu' | 'tensorflow';

/** Backend names accepted by `dr extract --backend` for TF.js models. */
export const TF_BACKEND_CHOICES: readonly TfBackendChoice[] = ['auto', 'wasm', 'cpu', 'tensorflow'];

async function tryImport(pkg: string): Promise<boolean> {
  try {
    await import(pkg);
    return true;
  } catch {
    return false;
  }
}

async function activate(name: string): Promise<boolean> {
  if (tf.getBackend() === name) return true;
  try {
    const ok = await tf.setBackend(name);
    if (ok) await tf.ready();
    return ok;
  } catch {
    return false;
  }
}

/**
 * Makes a TF.js backend active and returns its name. `tensorflow` needs
 * @tensorflow/tfjs-node-gpu or @tensorflow/tfjs-node (optional, detected at run time);
 * `auto` asks src/backend's `selectTfBackend()` and otherwise tries tensorflow, wasm, cpu.
 */
export async function useTfBackend(choice: TfBackendChoice = 'auto'): Promise<string> {
  if (choice === 'auto') {
    const backendModule: any = await import('../backend/index.js');
    if (typeof backendModule.selectTfBackend === 'function') {
      const chosen = await backendModule.selectTfBackend();
      const name = typeof chosen === 'string' ? chosen : chosen?.name ?? chosen?.backend;
      if (typeof name === 'string' && tf.getBackend() === name) return name;
      if (typeof name === 'string' && (await useTfBackend(name as TfBackendChoice).catch(() => ''))) return tf.getBackend();
    }
    for (const c of ['tensorflow', 'wasm', 'cpu'] as const) {
      const got = await useTfBackend(c).catch(() => '');
      if (got) return got;
    }
    throw new Error('no TF.js backend could be initialised (tried tensorflow, wasm, cpu)');
  }
  if (choice === 'tensorflow') {
    const loaded = (await tryImport('@tensorflow/tfjs-node-gpu')) || (await tryImport('@tensorflow/tfjs-node'));
    if (!loaded) throw new UsageError("TF.js backend 'tensorflow' needs @tensorflow/tfjs-node-gpu (CUDA) or @tensorflow/tfjs-node installed (npm install @tensorflow/tfjs-node-gpu)");
  } else if (choice === 'wasm') {
    // In Node the wasm package locates its .wasm binaries next to its own files.
    await import('@tensorflow/tfjs-backend-wasm');
  } else if (choice === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    throw new UsageError(`unknown TF.js backend '${choice}' (known: ${TF_BACKEND_CHOICES.join(', ')})`);
  }
  if (!(await activate(choice))) throw new Error(`TF.js backend '${choice}' failed to initialise`);
  return tf.getBackend();
}
