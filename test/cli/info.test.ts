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
