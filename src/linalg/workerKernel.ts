/**
 * Worker-thread entry for the `workers` Linalg: computes one band of output rows of a product
 * from SharedArrayBuffer inputs into a shared output, then posts back its job id.
 */
import { parentPort } from 'node:worker_threads';
import { crossProductInto, matmulRowsInto } from './kernels.js';

/** One band of work, all buffers shared with the parent. */
export interface WorkerJob {
  id: number;
  kind: 'gram' | 'cross' | 'matmul';
  a: SharedArrayBuffer;
  b: SharedArrayBuffer;
  out: SharedArrayBuffer;
  /** gram/cross: A n×p, B n×q, out p×q float64; matmul: A n×p (m×k), B p×q (k×n), out n×q float32. */
  n: number;
  p: number;
  q: number;
  i0: number;
  i1: number;
}

parentPort?.on('message', (job: WorkerJob) => {
  try {
    const a = new Float32Array(job.a);
    const b = new Float32Array(job.b);
    if (job.kind === 'matmul') {
      matmulRowsInto(a, b, job.p, job.q, job.i0, job.i1, new Float32Array(job.out));
    } else {
      crossProductInto(a, b, job.p, job.q, 0, job.n, job.i0, job.i1, new Float64Array(job.out), job.kind === 'gram');
    }
    parentPort!.postMessage({ id: job.id });
  } catch (err: any) {
    parentPort!.postMessage({ id: job.id, error: String(err?.stack ?? err) });
  }
});
