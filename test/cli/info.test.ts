import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeSyntheticCache } from '../../src/cache/synth.js';
import { lastJson, runCli } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';

const dir = tempDir();
const file = join(dir, 'c.arrow');
await writeSyntheticCache(file, { n: 30, d: 5, classes: 3, seed: 1 }, { batchRows: 8 });

test('dr info prints metadata, n, d and rows per label', async () => {
  const r = await runCli(['info', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^file: .*c\.arrow$/m);
  assert.match(r.stdout, /^n: 30$/m);
  assert.match(r.stdout, /^d: 5$/m);
  assert.match(r.stdout, /4 record batches, format version 1/);
  assert.match(r.stdout, /^model: synthetic, layer synthetic$/m);
  assert.match(r.stdout, /^ {2}0 \(class 0\): 10$/m);
  assert.match(r.stdout, /^ {2}2 \(class 2\): 10$/m);
});

test('dr info --json prints one JSON object on the last line', async () => {
  const r = await runCli(['info', file, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim().split('\n').length, 1);
  const j = lastJson(r.stdout);
  assert.deepEqual([j.n, j.d, j.batches], [30, 5, 4]);
  assert.deepEqual(j.labelCounts, { '0': 10, '1': 10, '2': 10 });
  assert.equal(j.meta.modelId, 'synthetic');
});

test('dr info on a bad file or with bad arguments fails with the reason', async () => {
  writeFileSync(join(dir, 'junk.arrow'), 'not arrow');
  let r = await runCli(['info', join(dir, 'junk.arrow')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /dr info: .*junk\.arrow: not an Arrow IPC file/);
  r = await runCli(['info']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /expected exactly one FILE, got 0/);
  r = await runCli(['info', join(dir, 'missing.arrow')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /missing\.arrow: no such file/);
});

test('dr info counts dead units (text and --json)', async () => {
  const { writeFeatureCache } = await import('../../src/cache/writer.js');
  const n = 40;
  const d = 4;
  const data = new Float32Array(n * d);
  // unit 0 dead (always 0), unit 1 constant 2, units 2 and 3 vary
  for (let i = 0; i < n; i++) { data[i * d + 1] = 2; data[i * d + 2] = i; data[i * d + 3] = (i * 7) % 5; }
  const deadFile = join(dir, 'dead.arrow');
  await writeFeatureCache(deadFile, { features: { data, n, d }, labels: Int32Array.from({ length: n }, (_, i) => i % 2) }, { modelId: 'm', datasetId: 't', split: 'train' });
  let r = await runCli(['info', deadFile]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^dead units: 2 of 4 \(50\.0%\): 2 zero-variance, 0 near-constant/m);
  r = await runCli(['info', deadFile, '--json']);
  const j = lastJson(r.stdout);
  assert.deepEqual([j.deadUnits.zeroVariance, j.deadUnits.nearConstant, j.deadUnits.zeroVarianceUnits], [2, 0, [0, 1]]);
});
