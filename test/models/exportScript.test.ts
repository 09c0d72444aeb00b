// scripts/export_pytorch_features.py → .npy → `dr import` gives the same cache as `dr extract`
// on an ONNX model computing the same function. Runs with Debian's python3 + numpy; the torch
// part (a real torch.onnx.export round trip) runs only where torch is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFeatureCache, readNpy, writeNpy } from '../../src/cache/index.js';
import { main } from '../../src/cli/main.js';
import { extractFeaturesDetailed } from '../../src/models/extractFeatures.js';
import { encodeOnnxGraph } from '../../src/util/onnxProto.js';
import { packageRoot } from '../../src/util/paths.js';
import { silentProgress } from '../../src/util/progress.js';
import { maxAbsDiff, tinyDataset } from './helpers/tinyModels.js';
import { writeFile } from 'node:fs/promises';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(packageRoot(), 'scripts', 'export_pytorch_features.py');
const hasModule = (m: string) => spawnSync(PYTHON, ['-c', `import ${m}`], { stdio: 'ignore' }).status === 0;
const hasNumpy = hasModule('numpy');

function python(args: string[]): void {
  const r = spawnSync(PYTHON, [SCRIPT, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, `export_pytorch_features.py failed: ${r.stderr}`);
}

async function drImport(prefix: string, out: string): Promise<void> {
  const code = await main(['import', '--features', `${prefix}.features.npy`, '--labels', `${prefix}.labels.npy`, '--meta', 'modelId=pytorch-export', '--out', out, '--json'], () => {});
  assert.equal(code, 0);
}

const pre = JSON.stringify({ height: 4, width: 4, channels: 3, resize: null, mean: [0, 0, 0], std: [1, 1, 1] });

test('fake-model features (numpy only) import to the same cache as dr extract of the equivalent ONNX model', { skip: !hasNumpy && 'Debian python3-numpy is not installed' }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-export-script-'));
  try {
    const ds = tinyDataset(9, 4, 4, 3);
    await writeNpy(join(root, 'images.npy'), ds.images, [9, 4, 4, 3]);
    await writeNpy(join(root, 'labels.npy'), ds.labels, [9]);
    const prefix = join(root, 'fake');
    python(['--fake-model', '--dataset', `npy:${join(root, 'images.npy')},${join(root, 'labels.npy')}`, '--preprocess', 'none', '--width', '6', '--seed', '3', '--save-map', join(root, 'R.npy'), '--out', prefix]);
    await drImport(prefix, join(root, 'imported.arrow'));
    const imported = await readFeatureCache(join(root, 'imported.arrow'));
    const npy = await readNpy(`${prefix}.features.npy`);
    assert.deepEqual(Array.from(imported.features.data), Array.from(npy.data as Float32Array));
    assert.deepEqual(Array.from(imported.labels), Array.from(ds.labels));
    assert.equal(imported.features.d, 6);

    // The same map as an ONNX graph (NCHW flatten → MatMul R → Relu) through dr extract's code path.
    const R = (await readNpy(join(root, 'R.npy'))).data as Float32Array;
    const onnx = encodeOnnxGraph({
      inputs: [{ name: 'input', dims: ['N', 3, 4, 4] }],
      outputs: [{ name: 'features', dims: ['N', 6] }],
      nodes: [
        { op: 'Flatten', inputs: ['input'], outputs: ['flat'], attributes: { axis: 1 } },
        { op: 'MatMul', inputs: ['flat', 'R'], outputs: ['mm'] },
        { op: 'Relu', inputs: ['mm'], outputs: ['features'] },
      ],
      initializers: [{ name: 'R', dims: [48, 6], data: R }],
    });
    await writeFile(join(root, 'fake.onnx'), onnx);
    const r = await extractFeaturesDetailed({ model: join(root, 'fake.onnx'), dataset: ds, split: 'test', preprocessing: pre, onnxProvider: 'cpu', cacheDir: join(root, 'cache'), progress: silentProgress });
    const extracted = await readFeatureCache(r.path);
    assert.ok(maxAbsDiff(extracted.features.data, imported.features.data) < 1e-5, `max diff ${maxAbsDiff(extracted.features.data, imported.features.data)}`);
    assert.deepEqual(Array.from(extracted.labels), Array.from(imported.labels));
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('torch: the script\'s ONNX export and its .npy features give the same cache', { skip: !(hasNumpy && hasModule('torch')) && 'torch is not installed' }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-export-torch-'));
  try {
    const ds = tinyDataset(7, 4, 4, 3, 11);
    await writeNpy(join(root, 'images.npy'), ds.images, [7, 4, 4, 3]);
    await writeNpy(join(root, 'labels.npy'), ds.labels, [7]);
    const prefix = join(root, 'tiny');
    python(['--model', 'tiny-cnn', '--dataset', `npy:${join(root, 'images.npy')},${join(root, 'labels.npy')}`, '--preprocess', 'none', '--width', '5', '--input-size', '4', '--onnx', join(root, 'tiny.onnx'), '--out', prefix]);
    await drImport(prefix, join(root, 'imported.arrow'));
    const imported = await readFeatureCache(join(root, 'imported.arrow'));
    const r = await extractFeaturesDetailed({ model: join(root, 'tiny.onnx'), dataset: ds, split: 'test', preprocessing: pre, onnxProvider: 'cpu', cacheDir: join(root, 'cache'), progress: silentProgress });
    assert.equal(r.layer, 'features');
    const extracted = await readFeatureCache(r.path);
    assert.equal(extracted.features.d, 5);
    assert.ok(maxAbsDiff(extracted.features.data, imported.features.data) < 1e-5, `max diff ${maxAbsDiff(extracted.features.data, imported.features.data)}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
