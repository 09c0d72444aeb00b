import type { Linalg } from './types.js';
import { referenceLinalg } from './reference.js';
import { crossSync, gramSync, matmulSync } from './kernels.js';
import { checkShape } from './types.js';
import { createOnnxLinalg } from './onnx.js';
import { createWasmLinalg } from './wasm.js';
import { createWorkersLinalg } from './workers.js';

/** Names accepted by {@link getLinalg}. */
export const LINALG_NAMES = ['onnx', 'onnx-f64', 'wasm', 'workers', 'typescript', 'reference'] as const;
export type LinalgName = (typeof LINALG_NAMES)[number];

/**
 * Preference order of {@link defaultLinalg}, fastest first, from `npm run bench:linalg` on the
 * development machine (2 cores shared with other jobs; wall-clock GFLOP/s): Gram 45,000×2048
 * onnx 35 (numpy-f32 65, numpy uses SYRK: half the flops); Gram 10,000×512 onnx 27, wasm 1.3,
 * workers 1.5, typescript 1.3, reference ~0.5. wasm stays ahead of workers in the order because
 * per CPU-second it is faster (6.2 vs 5.3) and workers copy inputs into shared memory.
 * `onnx` is float32 MLAS on row blocks summed in float64: max relative error 8e-8 (raw Gram) and
 * 3e-7 (centred Gram) at 45,000×2048 on ReLU-like data, |ΔCKA| 6e-10, far inside the 1e-5
 * needed, so the float64 variant (`onnx-f64`, ~0.6× the speed) is offered but not the default.
 */
export const LINALG_PREFERENCE: readonly LinalgName[] = ['onnx', 'wasm', 'workers', 'typescript'];

/** Single-thread blocked TypeScript kernels, float64 accumulation. */
export const typescriptLinalg: Linalg = {
  name: 'typescript',
  precision: 'float64',
  threads: 1,
  async gram(a, n, p) {
    checkShape(a, n, p, 'gram: A');
    return gramSync(a, n, p);
  },
  async crossProduct(a, b, n, p, q) {
    checkShape(a, n, p, 'crossProduct: A');
    checkShape(b, n, q, 'crossProduct: B');
    return crossSync(a, b, n, p, q);
  },
  async matmul(a, b, m, k, n) {
    checkShape(a, m, k, 'matmul: A');
    checkShape(b, k, n, 'matmul: B');
    return matmulSync(a, b, m, k, n);
  },
};

const instances = new Map<LinalgName, Promise<Linalg>>();

async function create(name: LinalgName): Promise<Linalg> {
  switch (name) {
    case 'reference': return referenceLinalg;
    case 'typescript': return typescriptLinalg;
    case 'workers': return createWorkersLinalg();
    case 'wasm': return createWasmLinalg();
    case 'onnx': return createOnnxLinalg({ precision: 'float32' });
    case 'onnx-f64': return createOnnxLinalg({ precision: 'float64' });
  }
}

/**
 * Runs a 9×5 Gram and a 9×5·5×2 product and compares with the reference, so a backend that
 * loads but computes garbage (or cannot start a session) is never chosen.
 */
async function selfCheck(l: Linalg): Promise<void> {
  const a = Float32Array.from({ length: 45 }, (_, i) => ((i * 7) % 11) / 10);
  const b = Float32Array.from({ length: 10 }, (_, i) => i - 4);
  const checks: [ArrayLike<number>, ArrayLike<number>][] = [
    [await l.gram(a, 9, 5), await referenceLinalg.gram(a, 9, 5)],
    [await l.matmul(a, b, 9, 5, 2), await referenceLinalg.matmul(a, b, 9, 5, 2)],
  ];
  for (const [got, want] of checks) {
    for (let i = 0; i < want.length; i++) {
      if (!(Math.abs(got[i] - want[i]) <= 1e-4 * (1 + Math.abs(want[i])))) throw new Error(`linalg '${l.name}' failed its self-check (value ${i}: ${got[i]} vs ${want[i]})`);
    }
  }
}

/**
 * The named {@link Linalg} (one shared instance per name), after a small self-check.
 * @throws Error naming the backend and why it is unavailable (e.g. onnxruntime-node missing).
 * @example
 * ```ts
 * const exact = await getLinalg('onnx-f64');
 * ```
 */
export function getLinalg(name: LinalgName | string): Promise<Linalg> {
  if (!(LINALG_NAMES as readonly string[]).includes(name)) {
    return Promise.reject(new RangeError(`unknown linalg '${name}' (known: ${LINALG_NAMES.join(', ')})`));
  }
  const key = name as LinalgName;
  let p = instances.get(key);
  if (!p) {
    p = create(key).then(async (l) => {
      await selfCheck(l);
      return l;
    }).catch((err) => {
      instances.delete(key);
      throw new Error(`linalg '${key}' is not available: ${err?.message ?? err}`);
    });
    instances.set(key, p);
  }
  return p;
}

/** Which linalg backends start here and, for the others, why not. */
export async function probeLinalgs(names: readonly string[] = LINALG_NAMES): Promise<{ name: string; available: boolean; reason?: string }[]> {
  const out: { name: string; available: boolean; reason?: string }[] = [];
  for (const name of names) {
    try {
      await getLinalg(name);
      out.push({ name, available: true });
    } catch (err: any) {
      out.push({ name, available: false, reason: String(err?.message ?? err) });
    }
  }
  return out;
}

let chosen: Promise<{ linalg: Linalg; reason: string }> | undefined;
let chosenFloat64: Promise<Linalg> | undefined;

/** Float64-accumulating backends, fastest first: the library's default when precision matters. */
export const LINALG_PREFERENCE_FLOAT64: readonly LinalgName[] = ['onnx-f64', 'workers', 'typescript'];

/** What a caller needs of the linear algebra {@link defaultLinalg} picks. */
export interface LinalgNeeds {
  /**
   * `'float64'`: products must accumulate in float64 (the library's own default: its results are
   * compared with numpy to 1e-10, and centring after an uncentred float32 product would cancel).
   * Absent: the fastest backend, float32 products allowed (what the CLI, `dr reproduce` and the notebooks use).
   */
  precision?: 'float64';
}

/**
 * The fastest available {@link Linalg}: the first of {@link LINALG_PREFERENCE} that loads and
 * passes its self-check; `DR_LINALG=<name>` in the environment forces one. With
 * `{ precision: 'float64' }` the fastest float64 one ({@link LINALG_PREFERENCE_FLOAT64}; the
 * reference when none starts), which every library function uses when not given a `linalg`.
 * Cached per process.
 * @example
 * ```ts
 * const fast = await defaultLinalg();                          // e.g. onnx (float32 products)
 * const exact = await defaultLinalg({ precision: 'float64' }); // e.g. onnx-f64
 * ```
 */
export async function defaultLinalg(needs: LinalgNeeds = {}): Promise<Linalg> {
  if (needs.precision !== 'float64') return (await chooseLinalg()).linalg;
  chosenFloat64 ??= (async () => {
    const fastest = (await chooseLinalg()).linalg;
    if (fastest.precision === 'float64') return fastest;
    for (const name of LINALG_PREFERENCE_FLOAT64) {
      try {
        return await getLinalg(name);
      } catch {
        // next one
      }
    }
    return referenceLinalg;
  })();
  return chosenFloat64;
}

/** The library's default {@link Linalg} when a caller passes none: `defaultLinalg({ precision: 'float64' })`. */
export function libraryLinalg(): Promise<Linalg> {
  return defaultLinalg({ precision: 'float64' });
}

/** Like {@link defaultLinalg} but also says why that one was chosen (for `dr backend`). */
export function chooseLinalg(): Promise<{ linalg: Linalg; reason: string }> {
  if (!chosen) {
    chosen = (async () => {
      const forced = process.env.DR_LINALG;
      if (forced) return { linalg: await getLinalg(forced), reason: `forced by DR_LINALG=${forced}` };
      const skipped: string[] = [];
      for (const name of LINALG_PREFERENCE) {
        try {
          const linalg = await getLinalg(name);
          return { linalg, reason: skipped.length ? `fastest available (${skipped.join('; ')})` : 'fastest measured here' };
        } catch (err: any) {
          skipped.push(`${name}: ${String(err?.message ?? err).replace(/^linalg '[^']+' is not available: /, '')}`);
        }
      }
      return { linalg: referenceLinalg, reason: `no fast backend (${skipped.join('; ')})` };
    })();
    chosen.catch(() => { chosen = undefined; });
  }
  return chosen;
}
