/**
 * Worker entry of {@link createSymvPool}: waits on the shared control word, computes its band of
 * the symmetric matrix–vector product into its own partial vector, and signals completion. Given
 * the pool's shared WebAssembly memory it runs the SIMD kernel on views into it, else the
 * TypeScript kernel on the shared buffers.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { symvLowerRows } from './symv.js';
import { wasmSymvRows, type WasmMemory } from './symvWasm.js';

/** How long a worker polls for the next band before sleeping on the control word (ms). */
const SPIN_MS = 0.2;

if (parentPort && workerData) {
  const { n } = workerData as { n: number };
  const memory = workerData.memory as WasmMemory | undefined;
  const view = (buffer: ArrayBufferLike, offset: number, length: number) => new Float64Array(buffer, offset, length);
  const w = memory ? view(memory.buffer, workerData.wOffset, n * n) : new Float64Array(workerData.w as SharedArrayBuffer);
  const u = memory ? view(memory.buffer, workerData.uOffset, n) : new Float64Array(workerData.u as SharedArrayBuffer);
  const y = memory ? view(memory.buffer, workerData.yOffset, n) : new Float64Array(workerData.y as SharedArrayBuffer);
  const scratch = memory ? view(memory.buffer, workerData.scratchOffset, 4) : new Float64Array(4);
  const simd = memory ? wasmSymvRows(memory) : undefined;
  if (memory && !simd) throw new Error('symv worker: the WebAssembly kernel could not be instantiated');
  const ctl = new Int32Array(workerData.ctl as SharedArrayBuffer);
  parentPort.postMessage('ready');
  for (;;) {
    // The next product usually follows within a fraction of a millisecond (the panel's level-2
    // work between two columns): polling that long first skips the futex wake-up, which cost
    // ~12% of the products' wall time at n = 2048 (measured on the 2-core machine).
    const until = performance.now() + SPIN_MS;
    while (Atomics.load(ctl, 0) === 0 && performance.now() < until);
    Atomics.wait(ctl, 0, 0);
    const state = Atomics.load(ctl, 0);
    if (state === 2) break;
    if (state !== 1) continue;
    const s0 = ctl[1];
    y.fill(0, s0, n);
    if (simd) simd(w, n, s0, u, y, ctl[2], ctl[3], scratch);
    else symvLowerRows(w, n, s0, u, y, ctl[2], ctl[3]);
    Atomics.store(ctl, 0, 0);
    Atomics.notify(ctl, 0);
  }
}
