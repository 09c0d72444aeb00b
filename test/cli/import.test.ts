import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/reader.js';
import { readNpyFeatures, writeNpy } from '../../src/cache/npy.js';
import { packageRoot } from '../../src/util/paths.js';
import { lastJson, runCli } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';
import { assertSameCache } from '../helpers/sameCache.js';

const dir = tempDir();
const fx = (name: string) => join(packageRoot(), 'test', 'fixtures', 'cache', name);

test('dr synth → export → import gives back an identical cache (features, labels, index, meta except createdAt)', async () => {
  const cache = join(dir, 's.arrow');
  assert.equal((await runCli(['synth', '--n', '90', '--d', '12', '--classes', '3', '--seed', '5', '--out', cache, '--batch-rows', '40'])).code, 0);
  assert.equal((await runCli(['export', '--features', cache, '--out', join(dir, 'e')])).code, 0);
  const back = join(dir, 'back.arrow');
  const r = await runCli(['import', '--features', join(dir, 'e.features.npy'), '--labels', join(dir, 'e.labels.npy'), '--index', join(dir, 'e.index.npy'), '--meta-file', join(dir, 'e.meta.json'), '--out', back, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(lastJson(r.stdout).n, 90);
  await assertSameCache(back, cache);
});

test('dr import of float16 features with --meta pairs; non-finite values (±Inf in the fixture) are refused naming row and column', async () => {
  const labels = join(dir, 'l2.npy');
  await writeNpy(labels, Int32Array.of(0, 1));
  const out = join(dir, 'half.arrow');
  const bad = await runCli(['import', '--features', fx('f2_2x4.npy'), '--labels', labels, '--out', out]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /f2_2x4\.npy: row 1, column 1: value Infinity is not finite/);
  // The same float16 values with the infinities replaced by finite ones import exactly.
  const half = await readNpyFeatures(fx('f2_2x4.npy'));
  const finite = half.data.map((v) => (Number.isFinite(v) ? v : 7));
  await writeNpy(join(dir, 'f2-finite.npy'), finite, [2, 4]);
  const r = await runCli(['import', '--features', join(dir, 'f2-finite.npy'), '--labels', labels, '--meta', 'modelId=torch-r50', '--meta', 'classNames=a,b', '--meta', 'source=pytorch', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /wrote .*half\.arrow: n=2, d=4, model torch-r50/);
  const c = await readFeatureCache(out);
  assert.deepEqual(Array.from(c.features.data), [1, -2, 2 ** -24, 1023 * 2 ** -24, -0, 7, 7, 65504]);
  assert.deepEqual(c.meta.classNames, ['a', 'b']);
  assert.deepEqual(c.meta.extra, { source: 'pytorch' });
});

test('dr import errors: label count, dtype, missing options, bad --meta', async () => {
  const out = join(dir, 'bad.arrow');
  const labels5 = fx('i4_labels.npy');
  let r = await runCli(['import', '--features', fx('f4_3x4.npy'), '--labels', labels5, '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /label count mismatch: .*i4_labels\.npy has 5 labels but .*f4_3x4\.npy has 3 rows/);
  r = await runCli(['import', '--features', fx('f8_2x3.npy'), '--labels', labels5, '--out', out]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /f8_2x3\.npy: features have dtype '<f8'; expected float32/);
  r = await runCli(['import', '--features', fx('f4_big_endian.npy'), '--labels', labels5, '--out', out]);
  assert.match(r.stderr, /big-endian dtype '>f4' is not supported/);
  r = await runCli(['import', '--features', fx('f4_3x4.npy'), '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /missing required option --labels/);
  r = await runCli(['import', '--features', fx('f4_3x4.npy'), '--labels', labels5, '--meta', 'oops', '--out', out]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--meta: expected key=value, got 'oops'/);
  assert.equal(existsSync(out), false);
});
