import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onnxExtractor } from '../../src/models/onnxExtractor.js';
import { denseRelu, maxAbsDiff, nhwcToNchw, tinyDataset, tinyDense, writeTinyOnnxModel } from './helpers/tinyModels.js';

test('ONNX extractor: internal tensor `features` of an NCHW model equals relu(x·W + b) on normalised NCHW input', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-onnx-'));
  try {
    const spec = tinyDense(2, 2, 3, 4, 2, 41);
    const bytes = await writeTinyOnnxModel(join(dir, 'tiny.onnx'), spec);
    const pre = { name: 'custom', height: 2, width: 2, channels: 3 as const, resize: null, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.5] };
    const ex = await onnxExtractor(bytes, { id: 'onnx/tiny', layer: 'features', preprocessing: pre, provider: 'cpu' });
    assert.equal(ex.d, 4);
    assert.equal(ex.preprocessing.layout, 'NCHW');
    assert.equal(ex.backend, 'onnxruntime-cpu');
    const ds = tinyDataset(6, 2, 2, 3);
    const normalised = ds.images.map((v, i) => (v - pre.mean[i % 3]) / pre.std[i % 3]);
    const input = nhwcToNchw(normalised, 6, 2, 2, 3);
    const want = denseRelu(input, 6, 12, spec.W, spec.b, 4);
    const got = await ex.extract(ds);
    assert.ok(maxAbsDiff(got, want) < 1e-5, `max diff ${maxAbsDiff(got, want)}`);
    await ex.dispose();
    const logits = await onnxExtractor(bytes, { id: 'onnx/tiny', preprocessing: pre, provider: 'cpu' });
    assert.equal(logits.layer, 'logits');
    assert.equal(logits.d, 2);
    await logits.dispose();
    await assert.rejects(onnxExtractor(bytes, { id: 'onnx/tiny', layer: 'pool5', provider: 'cpu' }), /no tensor named 'pool5'.*features/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
