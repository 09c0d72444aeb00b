import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UsageError, OptionError } from '../util/errors.js';
import { sameHeads, type ExtractorHead, type ImageBatch } from './extractor.js';
import type { LoadExtractorOptions } from './load.js';

/** What every worker reports after loading its model (must agree across workers). */
export interface WorkerModelInfo {
  id: string;
  layer: string;
  d: number;
  /** Every output of a forward pass (feature layer first, then the extra layers). */
  heads: ExtractorHead[];
  weightsHash: string;
  backend: string;
}

/** The options a worker can receive: plain data only (no functions). */
function workerOptions(o: LoadExtractorOptions): LoadExtractorOptions {
  const picked: LoadExtractorOptions = {
    layer: o.layer, preprocessing: o.preprocessing, backend: o.backend, onnxProvider: o.onnxProvider, onnxThreads: o.onnxThreads,
    zooDir: o.zooDir, registryPath: o.registryPath, inputSize: o.inputSize, pool: o.pool, extraLayers: o.extraLayers, download: false,
  };
  return Object.fromEntries(Object.entries(picked).filter(([, v]) => v !== undefined)) as LoadExtractorOptions;
}

/** Default number of extraction workers: one per core the process may use. */
export function defaultExtractionWorkers(): number {
  return availableParallelism();
}

/**
 * A pool of `count` worker threads, each loading `source` on its own TF.js backend (wasm in Node
 * without tfjs-node: single-threaded, so workers are how extraction uses every core). `run`
 * hands each batch to the least-busy worker (at most two in flight per worker, to hide message
 * latency) and resolves with that batch's features (one array per head); callers keep their own order.
 */
export class ExtractionPool {
  private constructor(
    private readonly workers: Worker[],
    readonly info: WorkerModelInfo,
  ) {}
  private inFlight = new Map<Worker, number>();
  private waiting = new Map<number, { resolve: (f: Float32Array[]) => void; reject: (e: Error) => void }>();
  private seq = 0;
  private failed: Error | undefined;

  /** Starts the workers and waits until every one has loaded the model. */
  static async start(source: string, count: number, opts: LoadExtractorOptions = {}): Promise<ExtractionPool> {
    if (!Number.isInteger(count) || count < 1) throw new OptionError('workers', `expected a positive integer, got ${count}`);
    const url = new URL('./extractWorker.js', import.meta.url);
    const workers = Array.from({ length: count }, () => new Worker(url, { workerData: { source, options: workerOptions(opts) } }));
    let infos: WorkerModelInfo[];
    try {
      infos = await Promise.all(workers.map((w) => new Promise<WorkerModelInfo>((resolve, reject) => {
        w.once('error', reject);
        w.once('message', (m: any) => {
          if (m.type === 'ready') resolve(m as WorkerModelInfo);
          else reject(m.name === 'OptionError' ? new OptionError(m.option, m.detail, m.value) : m.name === 'UsageError' ? new UsageError(m.message) : new Error(`extraction worker: ${m.message}`));
        });
      })));
    } catch (err) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw err;
    }
    const first = infos[0];
    if (infos.some((i) => i.weightsHash !== first.weightsHash || !sameHeads(i.heads, first.heads))) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new Error('extraction workers disagree on the loaded model');
    }
    const pool = new ExtractionPool(workers, first);
    for (const w of workers) {
      pool.inFlight.set(w, 0);
      w.on('message', (m: any) => pool.onMessage(w, m));
      w.on('error', (err) => pool.fail(err instanceof Error ? err : new Error(String(err))));
    }
    return pool;
  }

  private onMessage(w: Worker, m: any): void {
    this.inFlight.set(w, (this.inFlight.get(w) ?? 1) - 1);
    const job = this.waiting.get(m.seq);
    if (!job) return;
    this.waiting.delete(m.seq);
    if (m.type === 'result') job.resolve(m.features as Float32Array[]);
    else job.reject(new Error(`extraction worker: ${m.message}`));
  }

  private fail(err: Error): void {
    this.failed = err;
    for (const job of this.waiting.values()) job.reject(err);
    this.waiting.clear();
  }

  /** Number of worker threads. */
  get size(): number {
    return this.workers.length;
  }

  /** Batches the pool can take now without queueing inside a worker (two per worker). */
  get capacity(): number {
    return this.workers.length * 2;
  }

  /** Features of one batch, one n×heads[i].d row-major array per head; the images are copied to the worker. */
  run(batch: ImageBatch): Promise<Float32Array[]> {
    if (this.failed) return Promise.reject(this.failed);
    let best = this.workers[0];
    for (const w of this.workers) if ((this.inFlight.get(w) ?? 0) < (this.inFlight.get(best) ?? 0)) best = w;
    const seq = this.seq++;
    // A subarray would clone its whole underlying buffer: copy just the batch, then transfer it.
    const images = batch.images.slice();
    return new Promise<Float32Array[]>((resolve, reject) => {
      this.waiting.set(seq, { resolve, reject });
      this.inFlight.set(best, (this.inFlight.get(best) ?? 0) + 1);
      best.postMessage({ type: 'batch', seq, images, n: batch.n, height: batch.height, width: batch.width, channels: batch.channels }, [images.buffer]);
    });
  }

  /** Disposes the models and stops the threads. */
  async close(): Promise<void> {
    for (const w of this.workers) w.postMessage({ type: 'close' });
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => {
      const t = setTimeout(() => void w.terminate().then(() => resolve()), 5000);
      w.once('exit', () => {
        clearTimeout(t);
        resolve();
      });
    })));
  }
}
