import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ensureRegistryModel, readModelRegistry, registryModelDirs, type RegistryModel } from '../../src/models/registry.js';
import { UsageError } from '../../src/util/errors.js';

test('data/models/registry.json lists the paper models with their penultimate widths', async () => {
  const models = await readModelRegistry();
  const width = Object.fromEntries(models.map((m) => [m.name, m.width]));
  assert.deepEqual(width, {
    resnet50: 2048,
    'vit-s16-in21k': 384,
    'vgg16-bn': 4096,
    'wrn50-2': 2048,
    'resnet50-robust-l2-eps3': 2048,
    'resnet50-mrl': 2048,
  });
  for (const m of models) {
    assert.deepEqual(m.inputSize, [3, 224, 224], m.name);
    assert.ok(['imagenet', 'half'].includes(m.preprocessing), m.name);
    assert.ok(m.export?.includes('scripts/export_pytorch_features.py'), m.name);
  }
  assert.equal(models.find((m) => m.name === 'vit-s16-in21k')!.preprocessing, 'half');
});

function entry(url: string | null): RegistryModel {
  return { name: 'tiny-reg', description: 't', format: 'onnx', file: 'tiny.onnx', url, inputSize: [3, 2, 2], layout: 'NCHW', preprocessing: 'imagenet', penultimate: 'features', width: 4 };
}

test('a local copy is used; an unreachable URL gives a message saying where to put the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-registry-'));
  const saved = process.env.DR_MODELS_DIR;
  process.env.DR_MODELS_DIR = dir;
  try {
    assert.equal(registryModelDirs('tiny-reg')[0], join(dir, 'tiny-reg'));
    // A port nothing listens on: bind, read the port, close.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await assert.rejects(
      ensureRegistryModel(entry(`http://127.0.0.1:${port}/tiny.onnx`)),
      (e: Error) => e instanceof UsageError && /unreachable/.test(e.message) && e.message.includes('put a copy at') && e.message.includes('tiny.onnx'),
    );
    await assert.rejects(ensureRegistryModel(entry(null)), /no local copy and no public onnx download/);
    await mkdir(join(dir, 'tiny-reg'), { recursive: true });
    await writeFile(join(dir, 'tiny-reg', 'tiny.onnx'), 'local');
    assert.equal(await ensureRegistryModel(entry('http://127.0.0.1:1/never')), join(dir, 'tiny-reg', 'tiny.onnx'));
  } finally {
    if (saved === undefined) delete process.env.DR_MODELS_DIR;
    else process.env.DR_MODELS_DIR = saved;
    await rm(dir, { recursive: true, force: true });
  }
});

test('a reachable URL is downloaded once into data/models/external (served from 127.0.0.1)', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dr-registry-data-'));
  const savedData = process.env.DR_DATA_DIR;
  const savedModels = process.env.DR_MODELS_DIR;
  process.env.DR_DATA_DIR = dataDir;
  delete process.env.DR_MODELS_DIR;
  let hits = 0;
  const server = createServer((req, res) => {
    hits++;
    res.end(req.url === '/tiny.onnx' ? 'onnx-bytes' : '');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  try {
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tiny.onnx`;
    const path = await ensureRegistryModel(entry(url));
    assert.equal(path, join(dataDir, 'models', 'external', 'tiny-reg', 'tiny.onnx'));
    assert.equal(await readFile(path, 'utf8'), 'onnx-bytes');
    await ensureRegistryModel(entry(url));
    assert.equal(hits, 1);
    assert.ok(!existsSync(`${path}.tmp-${process.pid}`));
    await assert.rejects(ensureRegistryModel({ ...entry(url), name: 'other' }, { download: false }), /downloads are off/);
  } finally {
    server.close();
    if (savedData === undefined) delete process.env.DR_DATA_DIR;
    else process.env.DR_DATA_DIR = savedData;
    if (savedModels !== undefined) process.env.DR_MODELS_DIR = savedModels;
    await rm(dataDir, { recursive: true, force: true });
  }
});
