import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { fileModelHandler, readTfjsModelJson, readTfjsWeights, sha256Hex } from '../../src/models/tfjsFiles.js';
import { FileFormatError, UsageError } from '../../src/util/errors.js';
import { tinyDense, writeTinyLayersModel } from './helpers/tinyModels.js';

test('a layers model saved with fileModelHandler loads back with identical weights and outputs', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-tfjsfiles-'));
  try {
    const spec = tinyDense(3, 3, 1, 4, 2, 11);
    const original = await writeTinyLayersModel(dir, spec);
    assert.deepEqual((await readdir(dir)).sort(), ['model.json', 'weights.bin']);
    const loaded = await tfl.loadLayersModel(fileModelHandler(dir));
    const x = tf.randomUniform([5, 3, 3, 1], 0, 1, 'float32', 3);
    const a = await (original.predict(x) as tf.Tensor).data();
    const b = await (loaded.predict(x) as tf.Tensor).data();
    assert.deepEqual(Array.from(b), Array.from(a));
    const json = await readTfjsModelJson(join(dir, 'model.json'));
    const { specs, data } = await readTfjsWeights(join(dir, 'model.json'), json);
    assert.deepEqual(specs.map((s) => s.name), ['penultimate/kernel', 'penultimate/bias', 'classifier/kernel']);
    assert.equal(data.byteLength, 4 * (9 * 4 + 4 + 4 * 2));
    assert.equal(sha256Hex(data), sha256Hex(await readFile(join(dir, 'weights.bin'))));
    original.dispose();
    loaded.dispose();
    x.dispose();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('missing files and shards give errors naming the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dr-tfjsfiles-'));
  try {
    await assert.rejects(fileModelHandler(join(dir, 'nothing')).load!(), (e: Error) => e instanceof UsageError && e.message.includes('nothing'));
    await writeFile(join(dir, 'model.json'), JSON.stringify({ modelTopology: {}, weightsManifest: [{ paths: ['gone.bin'], weights: [] }] }));
    await assert.rejects(fileModelHandler(dir).load!(), (e: Error) => e instanceof FileFormatError && /gone\.bin/.test(e.message));
    await writeFile(join(dir, 'model.json'), '{"hello": 1}');
    await assert.rejects(fileModelHandler(dir).load!(), /not a TF.js model.json/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
