import { linalgModel } from '../linalg/onnxGraph.js';
import { cudaDeviceAnswers } from './cuda.js';

/** The onnxruntime execution providers to use, in order, and why. */
export interface OnnxProviderSelection {
  /** Preference order for `executionProviders`, always ending with 'cpu'. */
  providers: string[];
  reason: string;
  /** What this onnxruntime-node build lists (`bundled` false = needs a separately installed library). */
  available: { name: string; bundled: boolean }[];
}

/** Options of {@link selectOnnxProviders}; `ort` and `cudaDevice` are injectable for tests. */
export interface SelectOnnxProvidersOptions {
  /** The onnxruntime-node module (default: dynamic import). */
  ort?: any;
  /** Whether a CUDA device answers (default: nvidia-smi / /proc/driver/nvidia). */
  cudaDevice?: () => Promise<boolean> | boolean;
}

let cached: Promise<OnnxProviderSelection> | undefined;

/**
 * Detects onnxruntime execution providers: CUDA is chosen only when this build lists it, a
 * CUDA device answers, and a tiny MatMul session actually starts on it; otherwise CPU.
 * Without options the result is cached for the process.
 * @throws Error when onnxruntime-node itself cannot be loaded.
 */
export function selectOnnxProviders(opts: SelectOnnxProvidersOptions = {}): Promise<OnnxProviderSelection> {
  const plain = !opts.ort && !opts.cudaDevice;
  if (plain && cached) return cached;
  const p = (async (): Promise<OnnxProviderSelection> => {
    const ort = opts.ort ?? (await import('onnxruntime-node'));
    const listed: { name: string; bundled: boolean }[] = typeof ort.listSupportedBackends === 'function' ? ort.listSupportedBackends() : [{ name: 'cpu', bundled: true }];
    const available = listed.map((b) => ({ name: String(b.name), bundled: Boolean(b.bundled) }));
    if (!available.some((b) => b.name === 'cuda')) return { providers: ['cpu'], reason: 'this onnxruntime-node build has no CUDA provider', available };
    let device = false;
    try {
      device = await (opts.cudaDevice ?? cudaDeviceAnswers)();
    } catch {
      device = false;
    }
    if (!device) return { providers: ['cpu'], reason: 'CUDA provider listed but no CUDA device answers', available };
    try {
      const session = await ort.InferenceSession.create(linalgModel('matmul', false), { executionProviders: ['cuda'] });
      await session.release?.();
    } catch (err: any) {
      return { providers: ['cpu'], reason: `CUDA provider failed to start (${String(err?.message ?? err).split('\n')[0]})`, available };
    }
    return { providers: ['cuda', 'cpu'], reason: 'CUDA device answers and the CUDA provider starts', available };
  })();
  if (plain) {
    cached = p;
    p.catch(() => { cached = undefined; });
  }
  return p;
}
