/**
 * Splits the tridiagonalisation's symmetric matrix–vector product (memory-bound, one per column)
 * across the calling thread and worker threads over shared memory (SharedArrayBuffers, or the shared
 * WebAssembly memory of the SIMD kernel). Each call hands every
 * worker an equal-work band of rows through a shared control word (Atomics.wait/notify: a few
 * microseconds, where a message round trip would cost tens), the caller computes the first band,
 * and the per-thread partial vectors are summed.
 */
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { symvLowerRows } from './symv.js';
import { wasmSymvRows, type SymvArena } from './symvWasm.js';

/** A running pool; `run` is synchronous (the caller blocks until all bands are done). */
export interface SymvPool {
  /** y[s0 …] = A[s0:, s0:]·u[s0:] (y zeroed by the caller). */
  run(s0: number, y: Float64Array): void;
  close(): Promise<void>;
}

/** Worker states in the control word. */
const IDLE = 0;
const WORK = 1;
const QUIT = 2;
/** How long the caller polls for a worker's band before sleeping on its control word (ms). */
const CALLER_SPIN_MS = 5;
/** Longest wait for a band before the caller gives up on the pool (ms). */
const BAND_TIMEOUT_MS = 60_000;

/**
 * Starts `threads − 1` workers (default: available cores; none when 1) sharing `w` (n×n) and `u`.
 * With an `arena` (w, u and one partial vector per thread inside its shared WebAssembly memory;
 * the caller's y must be `arena.threads[0].y`) every thread runs the SIMD kernel.
 * @returns undefined when no worker is wanted or one fails to start (the caller then runs alone).
 */
export async function createSymvPool(w: Float64Array, u: Float64Array, n: number, threads = availableParallelism(), arena?: SymvArena): Promise<SymvPool | undefined> {
  const extra = Math.max(0, Math.floor(threads) - 1);
  if (extra === 0 || !(w.buffer instanceof SharedArrayBuffer) || !(u.buffer instanceof SharedArrayBuffer)) return undefined;
  if (arena && arena.threads.length < extra + 1) throw new RangeError(`createSymvPool: the arena holds ${arena.threads.length} partial vectors, ${extra + 1} threads need one each`);
  const simd = arena ? wasmSymvRows(arena.memory) : undefined;
  const workers: { worker: Worker; ctl: Int32Array; y: Float64Array }[] = [];
  try {
    for (let k = 0; k < extra; k++) {
      const ctl = new Int32Array(new SharedArrayBuffer(16));
      const part = arena?.threads[k + 1];
      const y = part ? part.y : new Float64Array(new SharedArrayBuffer(8 * n));
      const shared = arena && simd && part
        ? { memory: arena.memory, wOffset: w.byteOffset, uOffset: u.byteOffset, yOffset: y.byteOffset, scratchOffset: part.scratch.byteOffset }
        : { w: w.buffer, u: u.buffer, y: y.buffer };
      const worker = new Worker(new URL('./symvWorker.js', import.meta.url), { workerData: { ...shared, ctl: ctl.buffer, n } });
      worker.unref();
      await new Promise<void>((resolve, reject) => {
        worker.once('message', () => resolve());
        worker.once('error', reject);
      });
      workers.push({ worker, ctl, y });
    }
  } catch {
    for (const { worker } of workers) await worker.terminate();
    return undefined;
  }
  const parts = extra + 1;
  return {
    run(s0, y) {
      const m = n - s0;
      // Row r costs ~(r − s0): band k ends where the cumulative work reaches (k + 1)/parts.
      const bounds = Array.from({ length: parts + 1 }, (_, k) => (k === parts ? n : s0 + Math.round(m * Math.sqrt(k / parts))));
      workers.forEach(({ ctl }, k) => {
        ctl[1] = s0;
        ctl[2] = bounds[k + 1];
        ctl[3] = bounds[k + 2];
        Atomics.store(ctl, 0, WORK);
        Atomics.notify(ctl, 0);
      });
      if (simd && arena) simd(w, n, s0, u, y, s0, bounds[1], arena.threads[0].scratch);
      else symvLowerRows(w, n, s0, u, y, s0, bounds[1]);
      for (const { ctl, y: yk } of workers) {
        // The caller has nothing else to do: poll (bands take equal work, so the wait is short)
        // before falling back to a sleeping wait.
        const until = performance.now() + CALLER_SPIN_MS;
        while (Atomics.load(ctl, 0) === WORK && performance.now() < until);
        while (Atomics.load(ctl, 0) === WORK) {
          if (Atomics.wait(ctl, 0, WORK, BAND_TIMEOUT_MS) === 'timed-out') throw new Error('tridiagonalise: a symv worker did not answer within 60 s');
        }
        for (let j = s0; j < n; j++) y[j] += yk[j];
      }
    },
    async close() {
      for (const { ctl } of workers) {
        Atomics.store(ctl, 0, QUIT);
        Atomics.notify(ctl, 0);
      }
      await Promise.all(workers.map(({ worker }) => worker.terminate()));
    },
  };
}
