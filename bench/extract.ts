// Extraction throughput: a ResNet50-shaped network (random weights, built here) at 224×224 on each
// TF.js backend available and through onnxruntime-node, with FLOP/s beside the matrix-multiply
// peak measured on the same engine. `npm run bench:extract [-- --quick] [-- --json]`.
// Shared machine: run with `nice`; numbers are the best of a few repetitions.
// Then the real MobileNetV2s (data/models/pretrained/) through `extractFeatures` with one worker thread
// and with one per core (`-- --mobilenet-only` skips the ResNet50-shaped part).
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { encodeOnnxGraph } from '../src/util/onnxProto.js';
import { preprocessImages, resolvePreprocess } from '../src/models/preprocess.js';
import { buildResNetShaped, tfjsResNetShaped } from './resnetShaped.js';
import { useTfBackend } from '../src/models/tfRuntime.js';
import { mkdtempSync, rmSync } from 'node:fs';

import { join } from 'node:path';
import { extractFeaturesDetailed } from '../src/models/extractFeatures.js';
import { silentProgress } from '../src/util/progress.js';

const quick = process.argv.includes('--quick');
const asJson = process.argv.includes('--json');
const log = (s: string) => process.stderr.write(`${s}\n`);

interface Row {
  engine: string;
  batch: number;
  images: number;
  seconds: number;
  imagesPerSecond: number;
  gflops: number;
  matmulPeakGflops: number;
  note?: string;
}

/** Best-of-`reps` seconds of `fn`. */
async function best(reps: number, fn: () => Promise<void>): Promise<number> {
  let b = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    await fn();
    b = Math.min(b, (performance.now() - t) / 1000);
  }
  return b;
}

async function ortMatmulPeak(n: number, threads?: number): Promise<number> {
  const bytes = encodeOnnxGraph({
    inputs: [{ name: 'a', dims: [n, n] }, { name: 'b', dims: [n, n] }],
    outputs: [{ name: 'c', dims: [n, n] }],
    nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }],
  });
  const s = await ort.InferenceSession.create(bytes, threads ? { intraOpNumThreads: threads } : {});
  const a = new ort.Tensor('float32', new Float32Array(n * n).fill(0.5), [n, n]);
  const sec = await best(quick ? 2 : 8, async () => {
    await s.run({ a, b: a });
  });
  await s.release();
  return (2 * n ** 3) / sec / 1e9;
}

async function tfMatmulPeak(n: number): Promise<number> {
  const a = tf.fill([n, n], 0.5);
  const sec = await best(quick ? 2 : 6, async () => {
    const c = tf.matMul(a as tf.Tensor2D, a as tf.Tensor2D);
    await c.data();
    c.dispose();
  });
  a.dispose();
  return (2 * n ** 3) / sec / 1e9;
}

interface WorkerRow {
  model: string;
  inputSize: number;
  images: number;
  workers: number;
  imagesPerSecond: number;
}

/**
 * Steady-state extraction rate (model loading excluded) of the real MobileNetV2s on 28×28 grayscale
 * images (as mnist-digits), one worker thread vs one per core, wasm backend, batch 32.
 */
async function mobilenetWorkerRates(): Promise<WorkerRow[]> {
  const rows: WorkerRow[] = [];
  const cores = availableParallelism();
  const n = quick ? 64 : 512;
  const images = new Float32Array(n * 28 * 28).map((_, i) => ((i * 2654435761) % 1000) / 1000);
  const ds = { id: 'bench-28x28', images, labels: new Int32Array(n).map((_, i) => i % 10), n, height: 28, width: 28, channels: 1, classNames: [...'0123456789'] };
  const dir = mkdtempSync(join(tmpdir(), 'dr-bench-extract-'));
  try {
    for (const model of ['mobilenetv2-1.4', 'mobilenetv2-1.0']) {
      for (const inputSize of quick ? [96] : [96, 224]) {
        const count = inputSize === 224 ? Math.max(32, n / 4) : n;
        for (const workers of [...new Set([1, cores])]) {
          const r = await extractFeaturesDetailed({
            model, inputSize, dataset: ds, split: 'test', limit: count, batch: 32, workers, backend: 'wasm', force: true, cacheDir: dir, progress: silentProgress,
          });
          rows.push({ model, inputSize, images: count, workers, imagesPerSecond: r.imagesPerSecond });
          log(`${model} @${inputSize}, ${workers} worker${workers === 1 ? '' : 's'}: ${r.imagesPerSecond.toFixed(1)} images/s`);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

function workerTable(rows: WorkerRow[]): string {
  const cores = Math.max(...rows.map((r) => r.workers));
  const keys = [...new Set(rows.map((r) => `${r.model}@${r.inputSize}`))];
  return [
    `| model | input | images | 1 worker, images/s | ${cores} workers, images/s | speed-up | onnxruntime |`,
    '|---|---|---|---|---|---|---|',
    ...keys.map((k) => {
      const one = rows.find((r) => `${r.model}@${r.inputSize}` === k && r.workers === 1)!;
      const many = rows.find((r) => `${r.model}@${r.inputSize}` === k && r.workers === cores) ?? one;
      return `| ${one.model} | ${one.inputSize} | ${one.images} | ${one.imagesPerSecond.toFixed(1)} | ${many.imagesPerSecond.toFixed(1)} | ${(many.imagesPerSecond / one.imagesPerSecond).toFixed(2)}× | no ONNX copy of this network here (nsfwjs ships TF.js only) |`;
    }),
  ].join('\n');
}

async function main(): Promise<void> {
  if (process.argv.includes('--mobilenet-only')) {
    log(`bench:extract (MobileNetV2 workers) on ${cpus().length} cores, load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
    const w = await mobilenetWorkerRates();
    process.stdout.write(`${workerTable(w)}\n`);
    if (asJson) process.stdout.write(`${JSON.stringify({ workers: w })}\n`);
    return;
  }
  log(`bench:extract on ${cpus().length} cores (${cpus()[0]?.model ?? '?'}), load average ${loadavg().map((v) => v.toFixed(2)).join(' ')}`);
  const net = buildResNetShaped({ seed: 0 });
  log(`ResNet50-shaped net: ${(net.parameters / 1e6).toFixed(2)} M parameters, ${(net.flopsPerImage / 1e9).toFixed(2)} GFLOP per 224×224 image, features ${net.width}`);
  const rows: Row[] = [];
  const size = net.size;
  const image = (n: number) => new Float32Array(n * size * size * 3).map((_, i) => ((i * 2654435761) % 1000) / 1000);

  // Preprocessing cost (TypeScript bilinear resize 32→256, crop 224, normalise) per image.
  const small = new Float32Array(16 * 32 * 32 * 3).fill(0.5);
  const preSec = await best(3, async () => {
    preprocessImages(small, 16, 32, 32, 3, resolvePreprocess('imagenet'), 'NCHW');
  });
  log(`preprocessing 32×32 → 224×224 (imagenet preset): ${(16 / preSec).toFixed(0)} images/s`);

  // onnxruntime-node
  const bytes = encodeOnnxGraph(net.graph);
  for (const threads of [undefined, 1]) {
    const ortPeak = await ortMatmulPeak(1024, threads);
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', executionProviders: ['cpu'], ...(threads ? { intraOpNumThreads: threads } : {}) });
    const batch = 8;
    const input = new ort.Tensor('float32', image(batch).map((v) => v - 0.5), [batch, 3, size, size]);
    await session.run({ input }, ['features']);
    const reps = quick ? 1 : 3;
    const sec = await best(reps, async () => {
      await session.run({ input }, ['features']);
    });
    await session.release();
    rows.push({ engine: `onnxruntime-cpu${threads ? ' (1 thread)' : ''}`, batch, images: batch, seconds: sec, imagesPerSecond: batch / sec, gflops: (net.flopsPerImage * batch) / sec / 1e9, matmulPeakGflops: ortPeak });
    log(`onnxruntime ${threads ? '1 thread' : 'default threads'}: ${(batch / sec).toFixed(2)} images/s`);
  }

  // TF.js backends present here.
  const backends: { name: 'tensorflow-gpu' | 'tensorflow' | 'wasm' | 'cpu'; batch: number; batches: number }[] = [
    { name: 'tensorflow-gpu', batch: 16, batches: 4 },
    { name: 'tensorflow', batch: 8, batches: 2 },
    { name: 'wasm', batch: 4, batches: quick ? 1 : 2 },
    { name: 'cpu', batch: 1, batches: 1 },
  ];
  for (const b of backends) {
    try {
      await useTfBackend(b.name);
    } catch (err: any) {
      log(`tfjs ${b.name}: not available (${err.message})`);
      continue;
    }
    const model = tfjsResNetShaped(net);
    const peak = await tfMatmulPeak(b.name === 'cpu' ? 256 : 1024);
    const x = tf.tensor4d(image(b.batch).map((v) => v - 0.5), [b.batch, size, size, 3]);
    const warm = model.forward(x);
    await warm.data();
    warm.dispose();
    const before = tf.memory().numTensors;
    const t = performance.now();
    for (let i = 0; i < b.batches; i++) {
      const y = model.forward(x);
      await y.data();
      y.dispose();
    }
    const sec = (performance.now() - t) / 1000;
    const leaked = tf.memory().numTensors - before;
    const images = b.batch * b.batches;
    rows.push({ engine: `tfjs-${b.name}`, batch: b.batch, images, seconds: sec, imagesPerSecond: images / sec, gflops: (net.flopsPerImage * images) / sec / 1e9, matmulPeakGflops: peak, note: leaked ? `${leaked} tensors leaked` : undefined });
    log(`tfjs ${b.name}: ${(images / sec).toFixed(2)} images/s`);
    x.dispose();
    model.dispose();
  }

  const table = [
    '| engine | batch | images timed | images/s | GFLOP/s | matmul peak GFLOP/s, same engine and threads (1024³; cpu: 256³) | % of peak |',
    '|---|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.engine} | ${r.batch} | ${r.images} | ${r.imagesPerSecond.toFixed(2)} | ${r.gflops.toFixed(1)} | ${r.matmulPeakGflops.toFixed(1)} | ${((100 * r.gflops) / r.matmulPeakGflops).toFixed(0)}% |${r.note ? ` ${r.note}` : ''}`),
  ].join('\n');
  process.stdout.write(`${table}\n`);
  const workers = await mobilenetWorkerRates();
  process.stdout.write(`\n${workerTable(workers)}\n`);
  if (asJson) process.stdout.write(`${JSON.stringify({ flopsPerImage: net.flopsPerImage, parameters: net.parameters, preprocessImagesPerSecond: 16 / preSec, rows, workers })}\n`);
}

main().catch((err) => {
  process.stderr.write(`bench:extract failed: ${err?.stack ?? err}\n`);
  process.exit(1);
});
