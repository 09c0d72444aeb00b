import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { addOnnxGraphOutputs, encodeOnnxGraph, onnxFloat, onnxGraphNames } from '../../src/util/onnxProto.js';

test('an encoded MatMul + Relu graph runs in onnxruntime and matches hand-computed values', async () => {
  const bytes = encodeOnnxGraph({
    inputs: [{ name: 'x', dims: ['N', 3] }],
    outputs: [{ name: 'y', dims: ['N', 2] }],
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h'] },
      { op: 'Relu', inputs: ['h'], outputs: ['y'] },
    ],
    initializers: [{ name: 'W', dims: [3, 2], data: new Float32Array([1, -1, 2, 0, 0, 1]) }],
  });
  const session = await ort.InferenceSession.create(bytes);
  const r = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, 1, 1, -1, 0, 0]), [2, 3]) });
  // [1,1,1]·W = [3, 0]; [-1,0,0]·W = [-1, 1] → relu [0, 1]
  assert.deepEqual(Array.from(r.y.data as Float32Array), [3, 0, 0, 1]);
  await session.release();
});

test('attributes of every kind (ints, floats, strings) and int64 initializers are accepted', async () => {
  const bytes = encodeOnnxGraph({
    inputs: [{ name: 'x', dims: [1, 1, 4, 4] }],
    outputs: [{ name: 'y', dims: [1, 4] }],
    nodes: [
      { op: 'MaxPool', inputs: ['x'], outputs: ['p'], attributes: { kernel_shape: [2, 2], strides: [2, 2], auto_pad: 'NOTSET', pads: [0, 0, 0, 0] } },
      { op: 'LeakyRelu', inputs: ['p'], outputs: ['l'], attributes: { alpha: onnxFloat(0.5) } },
      { op: 'Reshape', inputs: ['l', 'shape'], outputs: ['y'] },
    ],
    initializers: [{ name: 'shape', dims: [2], data: new BigInt64Array([1n, -1n]) }],
  });
  const session = await ort.InferenceSession.create(bytes);
  const x = new Float32Array(16).map((_, i) => i - 10);
  const r = await session.run({ x: new ort.Tensor('float32', x, [1, 1, 4, 4]) });
  // 2×2 maxima of rows (-10..-7,-6..-3 | -2..1, 2..5): [-5, -3, 3, 5]; LeakyRelu(0.5) halves negatives.
  assert.deepEqual(Array.from(r.y.data as Float32Array), [-2.5, -1.5, 3, 5]);
  await session.release();
});

test('addOnnxGraphOutputs exposes an internal tensor; onnxGraphNames reads names back', async () => {
  const bytes = encodeOnnxGraph({
    inputs: [{ name: 'x', dims: ['N', 2] }],
    outputs: [{ name: 'y', dims: ['N', 2] }],
    nodes: [
      { op: 'Neg', inputs: ['x'], outputs: ['mid'] },
      { op: 'Relu', inputs: ['mid'], outputs: ['y'] },
    ],
  });
  assert.deepEqual(onnxGraphNames(bytes), { inputs: ['x'], outputs: ['y'], nodeOutputs: ['mid', 'y'] });
  const patched = addOnnxGraphOutputs(bytes, ['mid', 'y']);
  assert.deepEqual(onnxGraphNames(patched).outputs, ['y', 'mid']);
  assert.equal(addOnnxGraphOutputs(bytes, ['y']), bytes);
  const session = await ort.InferenceSession.create(patched);
  const r = await session.run({ x: new ort.Tensor('float32', new Float32Array([1, -2]), [1, 2]) }, ['mid', 'y']);
  assert.deepEqual(Array.from(r.mid.data as Float32Array), [-1, 2]);
  assert.deepEqual(Array.from(r.y.data as Float32Array), [0, 2]);
  await session.release();
});
