import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/reader.js';
import { readNpyHeader } from '../../src/cache/npy.js';
import { lastJson, runCli } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';

const dir = tempDir();

test('dr synth → dr export: the .npy data bytes equal the cache feature and label bytes', async () => {
  const cache = join(dir, 's.arrow');
  assert.equal((await runCli(['synth', '--n', '257', '--d', '33', '--classes', '4', '--seed', '2', '--out', cache, '--batch-rows', '100'])).code, 0);
  const r = await runCli(['export', '--features', cache, '--out', join(dir, 'e'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.deepEqual([j.n, j.d], [257, 33]);
  const data = await readFeatureCache(cache);
  const fh = await readNpyHeader(j.features);
  assert.deepEqual([fh.descr, fh.fortranOrder, fh.shape], ['<f4', false, [257, 33]]);
  assert.deepEqual(readFileSync(j.features).subarray(fh.dataOffset), Buffer.from(data.features.data.buffer));
  const lh = await readNpyHeader(j.labels);
  assert.deepEqual([lh.descr, lh.shape], ['<i4', [257]]);
  assert.deepEqual(readFileSync(j.labels).subarray(lh.dataOffset), Buffer.from(data.labels.buffer));
  assert.equal(JSON.parse(readFileSync(j.meta, 'utf8')).n, 257);
});

test('dr export argument and file errors', async () => {
  let r = await runCli(['export', '--out', join(dir, 'x')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing required option --features/);
  r = await runCli(['export', '--features', join(dir, 'nothing.arrow'), '--out', join(dir, 'x')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /nothing\.arrow: no such file/);
});
