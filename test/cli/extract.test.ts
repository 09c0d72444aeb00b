import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/index.js';
import { main } from '../../src/cli/main.js';
import { loadDataset } from '../../src/datasets/index.js';
import { readShardedCache } from '../../src/models/shards.js';
import { denseRelu, maxAbsDiff, nhwcToNchw, tinyDense, writeTinyGraphModel, writeTinyLayersModel, writeTinyOnnxModel } from '../models/helpers/tinyModels.js';

async function run(args: string[]): Promise<{ code: number; json: any }> {
  let text = '';
  const code = await main(args, (s) => {
    text += s;
  });
  const last = text.trim().split('\n').pop() ?? '';
  return { code, json: code === 0 && last.startsWith('{') ? JSON.parse(last) : undefined };
}

test('dr extract: TF.js layers, TF.js graph and ONNX models to caches equal to a direct forward pass (mnist digits)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-cli-extract-'));
  const savedStderr = process.stderr.write.bind(process.stderr);
  try {
    const digits = await loadDataset('mnist-digits', 'test');
    const n = 12;
    const images = digits.images.subarray(0, n * 784);
    const layers = tinyDense(28, 28, 1, 8, 10, 71);
    const graph = tinyDense(28, 28, 1, 6, 10, 72);
    const onnx = tinyDense(28, 28, 1, 7, 10, 73);
    (await writeTinyLayersModel(join(root, 'layers'), layers)).dispose();
    await writeTinyGraphModel(join(root, 'graph'), graph);
    await writeTinyOnnxModel(join(root, 'tiny.onnx'), onnx);
    const cases = [
      { args: ['--model', join(root, 'layers'), '--backend', 'cpu'], want: denseRelu(images, n, 784, layers.W, layers.b, 8) },
      { args: ['--model', join(root, 'graph'), '--layer', 'features', '--backend', 'cpu'], want: denseRelu(images, n, 784, graph.W, graph.b, 6) },
      { args: ['--model', join(root, 'tiny.onnx'), '--layer', 'features', '--onnx-provider', 'cpu'], want: denseRelu(nhwcToNchw(images, n, 28, 28, 1), n, 784, onnx.W, onnx.b, 7) },
    ];
    const common = ['--dataset', 'mnist-digits', '--split', 'test', '--limit', String(n), '--batch', '5', '--cache-dir', join(root, 'cache'), '--json'];
    for (const c of cases) {
      const first = await run(['extract', ...c.args, ...common]);
      assert.equal(first.code, 0);
      assert.equal(first.json.hit, false);
      const cache = await readFeatureCache(first.json.path);
      assert.equal(cache.meta.split, 'test[:12]');
      assert.ok(maxAbsDiff(cache.features.data, c.want) < 1e-4, `${c.args[1]}: max diff ${maxAbsDiff(cache.features.data, c.want)}`);
      assert.deepEqual(Array.from(cache.labels), Array.from(digits.labels.subarray(0, n)));
      // The summary's dead units: the forward pass's columns that are identical on every row.
      const d = cache.meta.d;
      const constant = Array.from({ length: d }, (_, j) => j).filter((j) => Array.from({ length: n }, (_, i) => cache.features.data[i * d + j]).every((v) => v === cache.features.data[j]));
      assert.deepEqual(first.json.deadUnits.zeroVarianceUnits, constant);
    }
    // --also-layers: more layers from the same forward passes, each its own cache (ONNX pre-activation
    // beside the ReLU features; the layers model's logits beside its penultimate layer).
    const also = await run(['extract', '--model', join(root, 'tiny.onnx'), '--layer', 'features', '--also-layers', 'pre', '--onnx-provider', 'cpu', ...common, '--cache-dir', join(root, 'also')]);
    assert.equal(also.code, 0);
    assert.deepEqual(also.json.extra.map((x: any) => [x.layer, x.d, x.hit]), [['pre', 7, false]]);
    const pre = (await readFeatureCache(also.json.extra[0].path)).features.data;
    const relu = (await readFeatureCache(also.json.path)).features.data;
    assert.ok(maxAbsDiff(Float32Array.from(pre, (v) => Math.max(v, 0)), relu) === 0, 'features = ReLU(pre), bit for bit');
    const alsoLayers = await run(['extract', '--model', join(root, 'layers'), '--backend', 'cpu', '--also-layers', 'classifier', ...common, '--cache-dir', join(root, 'also')]);
    const logits = (await readFeatureCache(alsoLayers.json.extra[0].path)).features.data;
    const pen = (await readFeatureCache(alsoLayers.json.path)).features.data;
    const want = new Float32Array(n * 10);
    for (let i = 0; i < n; i++) for (let k = 0; k < 10; k++) for (let j = 0; j < 8; j++) want[i * 10 + k] += pen[i * 8 + j] * layers.W2[j * 10 + k];
    assert.ok(maxAbsDiff(logits, want) < 1e-4, `logits: max diff ${maxAbsDiff(logits, want)}`);
    // Re-running hits the cache; two shards read back as the unsharded cache (ONNX model, the last case).
    const onnxArgs = cases[2].args;
    const whole = await run(['extract', ...onnxArgs, ...common]);
    assert.equal(whole.json.hit, true);
    for (const i of [0, 1]) assert.equal((await run(['extract', ...onnxArgs, ...common, '--shard', `${i}/2`])).code, 0);
    const merged = await readShardedCache(whole.json.path.replace(/\.arrow$/, ''));
    assert.ok(maxAbsDiff(merged.features.data, (await readFeatureCache(whole.json.path)).features.data) <= 1e-6);
    process.stderr.write = (() => true) as any;
    assert.equal((await run(['extract', '--model', join(root, 'tiny.onnx'), '--dataset', 'mnist-digits', '--split', 'test', '--shard', '2/2'])).code, 2);
    assert.equal((await run(['extract', '--model', 'no-such-model', '--dataset', 'mnist-digits', '--split', 'test'])).code, 2);
    // ONNX tensors are read flattened: --pool mean is refused, not ignored.
    assert.equal((await run(['extract', ...onnxArgs, '--pool', 'mean', ...common, '--cache-dir', join(root, 'pooled')])).code, 2);
  } finally {
    process.stderr.write = savedStderr;
    await rm(root, { recursive: true, force: true });
  }
});
