/**
 * `node dist/bench/gramProfile.js`: where the float32 Gram XᵀX at 45,000×2048 spends its time.
 * Replays the onnx Linalg's tail-panel loop (4 panels, 4096-row blocks) with timers around the
 * onnxruntime run, the float32→float64 accumulation (addTail) and the final mirroring, then times
 * the library's `gram` and `centredGram` on the same data. Prints one JSON line per repetition
 * (milliseconds). A diagnostic, not a benchmark: no numpy run, no accuracy check.
 */
import { tailGramModel } from '../src/linalg/onnxGraph.js';
import { mirrorUpper } from '../src/linalg/kernels.js';
import { createOnnxLinalg } from '../src/linalg/onnx.js';
import { centredGram } from '../src/linalg/centred.js';
import { reluFeatures } from './reluFeatures.js';

const n = 45000;
const p = 2048;
const c = 4;
const ort: any = await import('onnxruntime-node');
const x = reluFeatures(n, p, 7);
const s = await ort.InferenceSession.create(tailGramModel(c, true), { executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
const int64 = (v: number) => new ort.Tensor('int64', BigInt64Array.from([BigInt(v)]), [1]);
const starts = Array.from({ length: c + 1 }, (_, i) => Math.round(p * (1 - Math.sqrt(1 - i / c))));
/** Same accumulation as onnx.ts's addTail (kept separate so the library stays untouched). */
function addTail(out: Float64Array, s0: number, e: number, y: Float32Array): void {
  const tail = p - s0;
  for (let u = 0; u < e - s0; u++) {
    const o = (s0 + u) * p + s0;
    const yo = u * tail;
    for (let v = 0; v < tail; v++) out[o + v] += y[yo + v];
  }
}
const fixed: Record<string, unknown> = { AXIS: int64(0), END: int64(p) };
for (let i = 0; i < c; i++) {
  fixed[`S${i}`] = int64(starts[i]);
  fixed[`E${i}`] = int64(starts[i + 1]);
}
const lib = await createOnnxLinalg();
for (let rep = 0; rep < 2; rep++) {
  const step = 4096;
  const out = new Float64Array(p * p);
  let run = 0;
  let add = 0;
  const t0 = performance.now();
  for (let r0 = 0; r0 < n; r0 += step) {
    const rows = Math.min(step, n - r0);
    let t = performance.now();
    const result = await s.run({ ...fixed, X: new ort.Tensor('float32', x.subarray(r0 * p, (r0 + rows) * p), [rows, p]) });
    run += performance.now() - t;
    t = performance.now();
    for (let i = 0; i < c; i++) addTail(out, starts[i], starts[i + 1], result[`Y${i}`].data as Float32Array);
    add += performance.now() - t;
  }
  let t = performance.now();
  mirrorUpper(out, p);
  const mirror = performance.now() - t;
  const total = performance.now() - t0;
  t = performance.now();
  await lib.gram(x, n, p);
  const libGram = performance.now() - t;
  t = performance.now();
  await centredGram(lib, { data: x, n, d: p });
  const centred = performance.now() - t;
  console.log(JSON.stringify({ rep, total, run, add, mirror, libGram, centredGram: centred }));
}
await lib.dispose?.();
await s.release?.();
