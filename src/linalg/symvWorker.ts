/**
 * Worker entry of {@link createSymvPool}: waits on the shared control word, computes its band of
 * the symmetric matrix–vector product into its own partial vector, and signals completion.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { symvLowerRows } from './symv.js';

if (parentPort && workerData) {
  const { n } = workerData as { n: number };
  const w = new Float64Array(workerData.w as SharedArrayBuffer);
  const u = new Float64Array(workerData.u as SharedArrayBuffer);
  const y = new Float64Array(workerData.y as SharedArrayBuffer);
  const ctl = new Int32Array(workerData.ctl as SharedArrayBuffer);
  parentPort.postMessage('ready');
  for (;;) {
    Atomics.wait(ctl, 0, 0);
    const state = Atomics.load(ctl, 0);
    if (state === 2) break;
    if (state !== 1) continue;
    const s0 = ctl[1];
    y.fill(0, s0, n);
    symvLowerRows(w, n, s0, u, y, ctl[2], ctl[3]);
    Atomics.store(ctl, 0, 0);
    Atomics.notify(ctl, 0);
  }
}
