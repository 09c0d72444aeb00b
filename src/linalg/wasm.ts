import { checkShape, type Linalg } from './types.js';
import { crossSync, gramSync, matmulSync } from './kernels.js';

/** Options of {@link createWasmLinalg}. */
export interface WasmLinalgOptions {
  /** Rows per Gram/cross-product block (float32 accumulation inside a block, float64 across). */
  rowBlock?: number;
  /** Problems below this many flops run on the in-process TypeScript kernel. */
  smallFlops?: number;
}

const BLOCK_VALUES = 8 * 1024 * 1024;

/**
 * A {@link Linalg} on @tensorflow/tfjs-backend-wasm (XNNPACK, SIMD; single-threaded in Node).
 * TF.js has one global backend: each call switches to `wasm` and restores the previous one, so
 * model code using another backend is not disturbed.
 * @throws Error when the wasm backend cannot be initialised.
 */
export async function createWasmLinalg(opts: WasmLinalgOptions = {}): Promise<Linalg> {
  const tf: any = await import('@tensorflow/tfjs-core');
  await import('@tensorflow/tfjs-backend-wasm');
  const previous = tf.getBackend?.();
  if (!(await tf.setBackend('wasm'))) throw new Error('tfjs wasm backend failed to initialise');
  await tf.ready();
  if (previous && previous !== 'wasm') await tf.setBackend(previous);
  const smallFlops = opts.smallFlops ?? 4e6;

  async function onWasm<T>(fn: () => T): Promise<T> {
    const prev = tf.getBackend();
    if (prev !== 'wasm') await tf.setBackend('wasm');
    try {
      return tf.tidy(fn);
    } finally {
      if (prev && prev !== 'wasm') await tf.setBackend(prev);
    }
  }

  async function blocked(a: Float32Array, b: Float32Array | null, n: number, p: number, q: number): Promise<Float64Array> {
    const out = new Float64Array(p * q);
    const step = Math.max(1, opts.rowBlock ?? Math.floor(BLOCK_VALUES / Math.max(p, q, 1)));
    for (let r0 = 0; r0 < n; r0 += step) {
      const rows = Math.min(step, n - r0);
      const y: Float32Array = await onWasm(() => {
        const ta = tf.tensor2d(a.subarray(r0 * p, (r0 + rows) * p), [rows, p]);
        const tb = b ? tf.tensor2d(b.subarray(r0 * q, (r0 + rows) * q), [rows, q]) : ta;
        // tfjs-wasm's transposeA path is ~10× slower than an explicit transpose (measured).
        return tf.matMul(tf.transpose(ta), tb).dataSync();
      });
      for (let i = 0; i < out.length; i++) out[i] += y[i];
    }
    return out;
  }

  return {
    name: 'wasm',
    precision: 'float32',
    threads: 1,
    async gram(a, n, p) {
      checkShape(a, n, p, 'gram: A');
      if (2 * n * p * p < smallFlops || n === 0 || p === 0) return gramSync(a, n, p);
      const g = await blocked(a, null, n, p, p);
      for (let i = 0; i < p; i++) for (let j = i + 1; j < p; j++) g[j * p + i] = g[i * p + j];
      return g;
    },
    async crossProduct(a, b, n, p, q) {
      checkShape(a, n, p, 'crossProduct: A');
      checkShape(b, n, q, 'crossProduct: B');
      if (2 * n * p * q < smallFlops || n === 0 || p === 0 || q === 0) return crossSync(a, b, n, p, q);
      return blocked(a, b, n, p, q);
    },
    async matmul(a, b, m, k, n) {
      checkShape(a, m, k, 'matmul: A');
      checkShape(b, k, n, 'matmul: B');
      if (2 * m * k * n < smallFlops || m === 0 || n === 0 || k === 0) return matmulSync(a, b, m, k, n);
      return onWasm(() => Float32Array.from(tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).dataSync()));
    },
  };
}
