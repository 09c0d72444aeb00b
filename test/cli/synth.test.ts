import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/reader.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { lastJson, runCli } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';

const dir = tempDir();

test('dr synth writes the cache synthesizeFeatures describes and reports it as JSON', async () => {
  const out = join(dir, 's.arrow');
  const r = await runCli(['synth', '--n', '120', '--d', '16', '--classes', '3', '--seed', '9', '--rank', '4', '--noise', '0.5', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = lastJson(r.stdout);
  assert.equal(j.file, out);
  assert.deepEqual([j.n, j.d, j.options.rank, j.options.noise], [120, 16, 4, 0.5]);
  const data = await readFeatureCache(out);
  const want = synthesizeFeatures({ n: 120, d: 16, classes: 3, seed: 9, rank: 4, noise: 0.5 });
  assert.deepEqual(data.features, want.features);
  assert.deepEqual(data.labels, want.labels);
});

test('dr synth human output names the file and the sizes', async () => {
  const out = join(dir, 'h.arrow');
  const r = await runCli(['synth', '--n', '10', '--d', '3', '--classes', '2', '--seed', '0', '--out', out, '--relu']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*h\.arrow: n=10, d=3, 2 classes, rank 3, noise 1, seed 0/);
});

test('bad dr synth arguments exit 2 with a message naming the option', async () => {
  const out = join(dir, 'bad.arrow');
  const cases: [string[], RegExp][] = [
    [['--d', '4', '--classes', '2', '--seed', '0', '--out', out], /missing required option --n/],
    [['--n', '0', '--d', '4', '--classes', '2', '--seed', '0', '--out', out], /--n: must be >= 1, got 0/],
    [['--n', '5', '--d', 'four', '--classes', '2', '--seed', '0', '--out', out], /--d: expected an integer, got 'four'/],
    [['--n', '5', '--d', '4', '--classes', '1', '--seed', '0', '--out', out], /--classes: must be >= 2, got 1/],
    [['--n', '5', '--d', '4', '--classes', '2', '--seed', '0', '--out', out, '--rank', '9'], /--rank: must be <= --d \(4\), got 9/],
    [['--n', '5', '--d', '4', '--classes', '2', '--seed', '0', '--out', out, '--noise', '-1'], /--noise: must be >= 0, got -1/],
    [['--n', '5', '--d', '4', '--classes', '2', '--seed', '0', '--out', out, '--bogus', '1'], /unknown option --bogus/],
  ];
  for (const [args, msg] of cases) {
    const r = await runCli(['synth', ...args]);
    assert.equal(r.code, 2, args.join(' '));
    assert.match(r.stderr, msg);
    assert.match(r.stderr, /usage: dr synth/);
  }
  assert.equal(existsSync(out), false);
});
