import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { checkShape, type Linalg } from './types.js';
import { balancedTriangleSplit, crossSync, gramSync, matmulSync, mirrorUpper } from './kernels.js';
import type { WorkerJob } from './workerKernel.js';

/** Options of {@link createWorkersLinalg}. */
export interface WorkersLinalgOptions {
  /** Worker threads (default: available cores, at least 1). */
  threads?: number;
  /** Problems below this many flops run in the calling thread. */
  smallFlops?: number;
}

function shared(x: Float32Array): SharedArrayBuffer {
  if (x.buffer instanceof SharedArrayBuffer && x.byteOffset === 0 && x.byteLength === x.buffer.byteLength) return x.buffer;
  const sab = new SharedArrayBuffer(x.byteLength);
  new Float32Array(sab).set(x);
  return sab;
}

/**
 * A {@link Linalg} running the blocked TypeScript kernels on worker threads over
 * SharedArrayBuffers (inputs not already shared are copied once). Accumulates in float64,
 * so it is as accurate as the reference.
 */
export function createWorkersLinalg(opts: WorkersLinalgOptions = {}): Linalg {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const smallFlops = opts.smallFlops ?? 2e6;
  let workers: Worker[] = [];
  let nextId = 1;
  const pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();

  function pool(): Worker[] {
    if (workers.length) return workers;
    workers = Array.from({ length: threads }, () => {
      const w = new Worker(new URL('./workerKernel.js', import.meta.url));
      w.unref(); // idle workers must not keep the process alive
      w.on('message', (msg: { id: number; error?: string }) => {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        if (msg.error) p.reject(new Error(`workers linalg: ${msg.error}`));
        else p.resolve();
      });
      w.on('error', (err) => {
        for (const p of pending.values()) p.reject(err);
        pending.clear();
      });
      return w;
    });
    return workers;
  }

  function run(job: Omit<WorkerJob, 'id'>, w: Worker): Promise<void> {
    const id = nextId++;
    return new Promise<void>((resolve, reject) => {
      pending.set(id, { resolve, reject });
      w.ref();
      w.postMessage({ ...job, id });
    }).finally(() => w.unref());
  }

  async function banded(kind: WorkerJob['kind'], a: Float32Array, b: Float32Array, n: number, p: number, q: number, rows: number, outBytes: number): Promise<SharedArrayBuffer> {
    const ws = pool();
    const sa = shared(a);
    const sb = a === b ? sa : shared(b);
    const out = new SharedArrayBuffer(outBytes);
    const bounds = kind === 'gram' ? balancedTriangleSplit(rows, ws.length) : Array.from({ length: ws.length + 1 }, (_, t) => Math.round((rows * t) / ws.length));
    await Promise.all(ws.map((w, t) => (bounds[t + 1] > bounds[t] ? run({ kind, a: sa, b: sb, out, n, p, q, i0: bounds[t], i1: bounds[t + 1] }, w) : Promise.resolve())));
    return out;
  }

  return {
    name: 'workers',
    precision: 'float64',
    threads,
    async gram(a, n, p) {
      checkShape(a, n, p, 'gram: A');
      if (2 * n * p * p < smallFlops || p < 2) return gramSync(a, n, p);
      const g = new Float64Array(await banded('gram', a, a, n, p, p, p, p * p * 8));
      mirrorUpper(g, p);
      return Float64Array.from(g);
    },
    async crossProduct(a, b, n, p, q) {
      checkShape(a, n, p, 'crossProduct: A');
      checkShape(b, n, q, 'crossProduct: B');
      if (2 * n * p * q < smallFlops || p < 2) return crossSync(a, b, n, p, q);
      return Float64Array.from(new Float64Array(await banded('cross', a, b, n, p, q, p, p * q * 8)));
    },
    async matmul(a, b, m, k, n) {
      checkShape(a, m, k, 'matmul: A');
      checkShape(b, k, n, 'matmul: B');
      if (2 * m * k * n < smallFlops || m < 2) return matmulSync(a, b, m, k, n);
      return Float32Array.from(new Float32Array(await banded('matmul', a, b, m, k, n, m, m * n * 4)));
    },
    async dispose() {
      const ws = workers;
      workers = [];
      await Promise.all(ws.map((w) => w.terminate()));
    },
  };
}
