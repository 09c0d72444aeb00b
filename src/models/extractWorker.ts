// Worker-thread entry of the extraction pool (workerPool.ts): loads one model on its own TF.js
// backend and answers batch messages with the features of every head, one batch at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { loadFeatureExtractor, type LoadExtractorOptions } from './load.js';

interface BatchMessage {
  type: 'batch';
  seq: number;
  images: Float32Array;
  n: number;
  height: number;
  width: number;
  channels: number;
}

const port = parentPort!;
const { source, options } = workerData as { source: string; options: LoadExtractorOptions };

try {
  const extractor = await loadFeatureExtractor(source, options);
  port.postMessage({ type: 'ready', id: extractor.id, layer: extractor.layer, d: extractor.d, heads: extractor.heads, weightsHash: extractor.weightsHash, backend: extractor.backend });
  port.on('message', async (m: BatchMessage | { type: 'close' }) => {
    if (m.type === 'close') {
      await extractor.dispose();
      port.close();
      return;
    }
    try {
      const outputs = await extractor.extractAll({ images: m.images, n: m.n, height: m.height, width: m.width, channels: m.channels });
      // Only whole buffers can be transferred, and each at most once.
      const own = outputs.map((f, i) => (f.byteOffset === 0 && f.byteLength === f.buffer.byteLength && outputs.findIndex((g) => g.buffer === f.buffer) === i ? f : f.slice()));
      port.postMessage({ type: 'result', seq: m.seq, features: own }, own.map((f) => f.buffer as ArrayBuffer));
    } catch (err: any) {
      port.postMessage({ type: 'error', seq: m.seq, message: err?.message ?? String(err), name: err?.name });
    }
  });
} catch (err: any) {
  port.postMessage({ type: 'error', seq: -1, message: err?.message ?? String(err), name: err?.name, option: err?.option, value: err?.value, detail: err?.detail });
}
