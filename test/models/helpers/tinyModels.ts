// Builders for the tiny models the tests run through every extractor, and plain-JS reference
// forward passes (float64) to compare the extractors' features with.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import { encodeOnnxGraph } from '../../../src/util/onnxProto.js';
import { fileModelHandler } from '../../../src/models/tfjsFiles.js';
import { useTfBackend } from '../../../src/models/tfRuntime.js';

/** Deterministic values in [-1, 1) from a 32-bit LCG, so fixtures are reproducible. */
export function lcgValues(count: number, seed: number): Float32Array {
  const out = new Float32Array(count);
  let s = seed >>> 0;
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

/** relu(x·W + b) for x n×p, W p×q, b q (float64 accumulation) → n×q. */
export function denseRelu(x: Float32Array, n: number, p: number, w: Float32Array, b: Float32Array, q: number): Float64Array {
  const out = new Float64Array(n * q);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < q; j++) {
      let s = b[j];
      for (let k = 0; k < p; k++) s += x[i * p + k] * w[k * q + j];
      out[i * q + j] = Math.max(0, s);
    }
  }
  return out;
}

/** NHWC n×h×w×c → NCHW n×c×h×w. */
export function nhwcToNchw(x: Float32Array, n: number, h: number, w: number, c: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let b = 0; b < n; b++) for (let y = 0; y < h; y++) for (let xx = 0; xx < w; xx++) for (let k = 0; k < c; k++) {
    out[((b * c + k) * h + y) * w + xx] = x[((b * h + y) * w + xx) * c + k];
  }
  return out;
}

export interface TinyDense {
  /** Input [h, w, c]; features = relu(flatten(x)·W + b) with `hidden` units; logits = features·W2. */
  h: number;
  w: number;
  c: number;
  hidden: number;
  classes: number;
  W: Float32Array;
  b: Float32Array;
  W2: Float32Array;
}

export function tinyDense(h: number, w: number, c: number, hidden: number, classes: number, seed: number): TinyDense {
  const p = h * w * c;
  return { h, w, c, hidden, classes, W: lcgValues(p * hidden, seed), b: lcgValues(hidden, seed + 1), W2: lcgValues(hidden * classes, seed + 2) };
}

/** Builds the layers model (Flatten → Dense `penultimate` relu → Dense `classifier`) and saves it with our file IOHandler. */
export async function writeTinyLayersModel(dir: string, m: TinyDense): Promise<tfl.LayersModel> {
  await useTfBackend('cpu');
  const model = tfl.sequential({
    layers: [
      tfl.layers.flatten({ inputShape: [m.h, m.w, m.c], name: 'flatten' }),
      tfl.layers.dense({ units: m.hidden, activation: 'relu', name: 'penultimate' }),
      tfl.layers.dense({ units: m.classes, useBias: false, name: 'classifier' }),
    ],
  });
  const tf = await import('@tensorflow/tfjs-core');
  const p = m.h * m.w * m.c;
  model.getLayer('penultimate').setWeights([tf.tensor2d(m.W, [p, m.hidden]), tf.tensor1d(m.b)]);
  model.getLayer('classifier').setWeights([tf.tensor2d(m.W2, [m.hidden, m.classes])]);
  await model.save(fileModelHandler(dir));
  return model;
}

/**
 * Writes a TF.js graph model by hand: GraphDef JSON (Placeholder → Reshape → MatMul → BiasAdd →
 * Relu `features` → MatMul `logits`) plus one weight shard holding the Const tensors.
 */
export async function writeTinyGraphModel(dir: string, m: TinyDense): Promise<void> {
  const p = m.h * m.w * m.c;
  const dim = (...s: number[]) => ({ dim: s.map((v) => ({ size: String(v) })) });
  const f32 = { type: 'DT_FLOAT' };
  const constNode = (name: string, dtype: string, shape: number[]) => ({
    name,
    op: 'Const',
    attr: { value: { tensor: { dtype, tensorShape: dim(...shape) } }, dtype: { type: dtype } },
  });
  const topology = {
    node: [
      { name: 'image', op: 'Placeholder', attr: { dtype: f32, shape: { shape: dim(-1, m.h, m.w, m.c) } } },
      constNode('flat_shape', 'DT_INT32', [2]),
      constNode('W', 'DT_FLOAT', [p, m.hidden]),
      constNode('b', 'DT_FLOAT', [m.hidden]),
      constNode('W2', 'DT_FLOAT', [m.hidden, m.classes]),
      { name: 'flat', op: 'Reshape', input: ['image', 'flat_shape'], attr: { T: f32, Tshape: { type: 'DT_INT32' } } },
      { name: 'mm', op: 'MatMul', input: ['flat', 'W'], attr: { T: f32, transpose_a: { b: false }, transpose_b: { b: false } } },
      { name: 'pre', op: 'BiasAdd', input: ['mm', 'b'], attr: { T: f32, data_format: { s: Buffer.from('NHWC').toString('base64') } } },
      { name: 'features', op: 'Relu', input: ['pre'], attr: { T: f32 } },
      { name: 'logits', op: 'MatMul', input: ['features', 'W2'], attr: { T: f32, transpose_a: { b: false }, transpose_b: { b: false } } },
    ],
    library: {},
    versions: { producer: 1 },
  };
  const shape = new Int32Array([-1, p]);
  const parts = [new Uint8Array(shape.buffer), new Uint8Array(m.W.buffer.slice(0)), new Uint8Array(m.b.buffer.slice(0)), new Uint8Array(m.W2.buffer.slice(0))];
  const bin = Buffer.concat(parts);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'group1-shard1of1.bin'), bin);
  await writeFile(
    join(dir, 'model.json'),
    JSON.stringify({
      format: 'graph-model',
      generatedBy: 'hand-written test fixture',
      convertedBy: null,
      modelTopology: topology,
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'flat_shape', shape: [2], dtype: 'int32' },
            { name: 'W', shape: [p, m.hidden], dtype: 'float32' },
            { name: 'b', shape: [m.hidden], dtype: 'float32' },
            { name: 'W2', shape: [m.hidden, m.classes], dtype: 'float32' },
          ],
        },
      ],
    }),
  );
}

/** Writes an ONNX model taking NCHW input: Flatten → MatMul → Add → Relu `features` → MatMul `logits` (only `logits` is a graph output). */
export async function writeTinyOnnxModel(file: string, m: TinyDense): Promise<Uint8Array> {
  const p = m.h * m.w * m.c;
  const bytes = encodeOnnxGraph({
    inputs: [{ name: 'input', dims: ['N', m.c, m.h, m.w] }],
    outputs: [{ name: 'logits', dims: ['N', m.classes] }],
    nodes: [
      { op: 'Flatten', inputs: ['input'], outputs: ['flat'], attributes: { axis: 1 } },
      { op: 'MatMul', inputs: ['flat', 'W'], outputs: ['mm'] },
      { op: 'Add', inputs: ['mm', 'b'], outputs: ['pre'] },
      { op: 'Relu', inputs: ['pre'], outputs: ['features'] },
      { op: 'MatMul', inputs: ['features', 'W2'], outputs: ['logits'] },
    ],
    initializers: [
      { name: 'W', dims: [p, m.hidden], data: m.W },
      { name: 'b', dims: [m.hidden], data: m.b },
      { name: 'W2', dims: [m.hidden, m.classes], data: m.W2 },
    ],
  });
  await writeFile(file, bytes);
  return bytes;
}

/** A small in-memory dataset of deterministic images in [0, 1]. */
export function tinyDataset(n: number, h: number, w: number, c: number, seed = 7) {
  const images = lcgValues(n * h * w * c, seed).map((v) => (v + 1) / 2);
  const labels = new Int32Array(n).map((_, i) => i % 3);
  return { id: `tiny-${h}x${w}x${c}`, images, labels, n, height: h, width: w, channels: c, classNames: ['a', 'b', 'c'] };
}

/** Largest |a_i − b_i|. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
