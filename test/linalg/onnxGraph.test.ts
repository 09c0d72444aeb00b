import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { encodeOnnxModel, linalgModel, ONNX_FLOAT } from '../../src/linalg/onnxGraph.js';

test('encodes protobuf fields byte-exactly for a tiny model', () => {
  const bytes = encodeOnnxModel({ name: 'g', nodes: [], inputs: [], outputs: [] });
  // ir_version=8 (08 08), producer_name (12 len ...), graph (3a 03 12 01 'g'), opset (42 04 0a 00 10 11)
  assert.deepEqual(Array.from(bytes.subarray(0, 2)), [0x08, 0x08]);
  assert.deepEqual(Array.from(bytes.subarray(-11)), [0x3a, 0x03, 0x12, 0x01, 0x67, 0x42, 0x04, 0x0a, 0x00, 0x10, 0x11]);
});

test('every generated model loads in onnxruntime and computes on dynamic shapes', async () => {
  const s = await ort.InferenceSession.create(linalgModel('gram', false));
  assert.deepEqual(s.inputNames, ['A']);
  const out = await s.run({ A: new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4, 5, 6]), [3, 2]) });
  assert.deepEqual(out.Y.dims, [2, 2]);
  assert.deepEqual(Array.from(out.Y.data as Float32Array), [35, 44, 44, 56]);
  const mm = await ort.InferenceSession.create(linalgModel('matmul', true));
  const r = await mm.run({ A: new ort.Tensor('float32', Float32Array.from([1, 2]), [1, 2]), B: new ort.Tensor('float32', Float32Array.from([3, 4]), [2, 1]) });
  assert.equal(r.Y.type, 'float64');
  assert.deepEqual(Array.from(r.Y.data as Float64Array), [11]);
  const cr = await ort.InferenceSession.create(linalgModel('cross', false));
  const c = await cr.run({ A: new ort.Tensor('float32', Float32Array.from([1, 2]), [2, 1]), B: new ort.Tensor('float32', Float32Array.from([3, 4, 5, 6]), [2, 2]) });
  assert.deepEqual(Array.from(c.Y.data as Float32Array), [13, 16]);
  assert.equal(ONNX_FLOAT, 1);
});
