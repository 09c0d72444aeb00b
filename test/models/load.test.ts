import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeatureExtractor, resolveModelSource } from '../../src/models/load.js';
import { UsageError } from '../../src/util/errors.js';
import { denseRelu, maxAbsDiff, tinyDataset, tinyDense, writeTinyGraphModel, writeTinyLayersModel, writeTinyOnnxModel } from './helpers/tinyModels.js';

test('sources resolve to zoo, registry and path models; unknown names list what exists', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-load-'));
  const saved = process.env.DR_MODELS_DIR;
  process.env.DR_MODELS_DIR = join(root, 'external');
  try {
    const zooDir = join(root, 'zoo');
    const spec = tinyDense(28, 28, 1, 8, 10, 3);
    (await writeTinyLayersModel(join(zooDir, 'mlp-w8'), spec)).dispose();
    await writeFile(join(zooDir, 'mlp-w8', 'manifest.json'), JSON.stringify({ inputShape: [28, 28, 1], preprocessing: 'unit-range', penultimateLayer: 'penultimate' }));
    await writeTinyGraphModel(join(root, 'graph'), tinyDense(2, 2, 1, 3, 2, 4));
    await writeTinyOnnxModel(join(root, 'm.onnx'), tinyDense(2, 2, 3, 3, 2, 5));
    const registryPath = join(root, 'registry.json');
    await writeFile(registryPath, JSON.stringify({ models: [{ name: 'reg-tiny', format: 'onnx', file: 'reg.onnx', url: null, inputSize: [3, 2, 2], layout: 'NCHW', preprocessing: 'imagenet', penultimate: 'features', width: 3 }] }));
    await mkdir(join(root, 'external', 'reg-tiny'), { recursive: true });
    await writeTinyOnnxModel(join(root, 'external', 'reg-tiny', 'reg.onnx'), tinyDense(2, 2, 3, 3, 2, 6));

    const zoo = await resolveModelSource('mlp-w8', { zooDir, registryPath });
    assert.equal(zoo.kind, 'zoo');
    assert.equal(zoo.id, 'zoo/mlp-w8');
    assert.equal((await resolveModelSource(join(root, 'graph'), { zooDir })).format, 'tfjs-graph');
    assert.equal((await resolveModelSource(join(zooDir, 'mlp-w8', 'model.json'), { zooDir })).format, 'tfjs-layers');
    assert.equal((await resolveModelSource(join(root, 'm.onnx'), { zooDir })).id, 'onnx/m');
    const reg = await resolveModelSource('reg-tiny', { zooDir, registryPath });
    assert.equal(reg.kind, 'registry');
    assert.equal(reg.file, join(root, 'external', 'reg-tiny', 'reg.onnx'));
    await assert.rejects(resolveModelSource('resnet1000', { zooDir, registryPath }), (e: Error) => e instanceof UsageError && /mlp-w8/.test(e.message) && /reg-tiny/.test(e.message));

    // The zoo model loads with its manifest's preprocessing and layer; features = relu(x·W + b).
    const ex = await loadFeatureExtractor('mlp-w8', { zooDir, registryPath, backend: 'cpu' });
    assert.equal(ex.layer, 'penultimate');
    assert.equal(ex.d, 8);
    assert.equal(ex.preprocessing.name, 'unit-range');
    assert.match(ex.weightsHash, /^[0-9a-f]{64}$/);
    const ds = tinyDataset(3, 28, 28, 1);
    assert.ok(maxAbsDiff(await ex.extract(ds), denseRelu(ds.images, 3, 784, spec.W, spec.b, 8)) < 1e-4);
    await ex.dispose();
    // The registry model uses its declared tensor `features` (an internal tensor of the graph).
    const rx = await loadFeatureExtractor('reg-tiny', { zooDir, registryPath, preprocessing: '{"height":2,"width":2,"resize":null}' });
    assert.equal(rx.layer, 'features');
    assert.equal(rx.d, 3);
    assert.equal(rx.preprocessing.layout, 'NCHW');
    await rx.dispose();
  } finally {
    if (saved === undefined) delete process.env.DR_MODELS_DIR;
    else process.env.DR_MODELS_DIR = saved;
    await rm(root, { recursive: true, force: true });
  }
});

test('a TF.js graph model given by URL (model.json + shard) is downloaded once and extracts', async () => {
  const { createServer } = await import('node:http');
  const { readFile } = await import('node:fs/promises');
  const root = await mkdtemp(join(tmpdir(), 'dr-load-url-'));
  const saved = process.env.DR_DATA_DIR;
  process.env.DR_DATA_DIR = join(root, 'data');
  const spec = tinyDense(2, 2, 1, 3, 2, 8);
  await writeTinyGraphModel(join(root, 'served'), spec);
  const requests: string[] = [];
  const server = createServer(async (req, res) => {
    requests.push(req.url!);
    try {
      res.end(await readFile(join(root, 'served', req.url!.replace('/m/', ''))));
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/m/model.json`;
    const opts = { layer: 'features', backend: 'cpu' as const, preprocessing: '{"height":2,"width":2,"channels":1,"resize":null,"mean":[0],"std":[1]}' };
    const ex = await loadFeatureExtractor(url, opts);
    assert.equal(ex.format, 'tfjs-graph');
    const ds = tinyDataset(2, 2, 2, 1);
    assert.ok(maxAbsDiff(await ex.extract(ds), denseRelu(ds.images, 2, 4, spec.W, spec.b, 3)) < 1e-5);
    await ex.dispose();
    assert.deepEqual(requests.sort(), ['/m/group1-shard1of1.bin', '/m/model.json']);
    await (await loadFeatureExtractor(url, opts)).dispose();
    assert.equal(requests.length, 2);
    await assert.rejects(loadFeatureExtractor(url.replace('/m/model.json', '/gone/model.json'), opts), /unreachable \(HTTP 404/);
  } finally {
    server.close();
    if (saved === undefined) delete process.env.DR_DATA_DIR;
    else process.env.DR_DATA_DIR = saved;
    await rm(root, { recursive: true, force: true });
  }
});
