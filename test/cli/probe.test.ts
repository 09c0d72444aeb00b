import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFeatureCache } from '../../src/cache/index.js';
import { loadProbeReference } from '../probe/fixture.js';
import { runCli } from '../helpers/runCli.js';

const ref = loadProbeReference();
let dir = '';

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dr-probe-cli-'));
  await writeFeatureCache(join(dir, 'train.arrow'), { features: ref.train, labels: ref.trainLabels }, { modelId: 'fixture', split: 'train' });
  await writeFeatureCache(join(dir, 'test.arrow'), { features: ref.test, labels: ref.testLabels }, { modelId: 'fixture', split: 'test' });
  await writeFeatureCache(join(dir, 'narrow.arrow'), { features: { data: new Float32Array(4 * 3), n: 4, d: 3 }, labels: new Int32Array(4) }, { modelId: 'fixture' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('dr probe --json reports accuracy, per-class accuracy, indices, k and seconds', async () => {
  const { code, stdout: out } = await runCli(['probe', '--train', join(dir, 'train.arrow'), '--test', join(dir, 'test.arrow'), '--fraction', '0.5', '--seed', '3', '--probe', 'ridge', '--l2', '0.001', '--json']);
  assert.equal(code, 0, out);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.k, 4);
  assert.equal(r.indices.length, 4);
  assert.equal(new Set(r.indices).size, 4);
  assert.ok(r.indices.every((i: number) => i >= 0 && i < 8));
  assert.equal(r.perClassAccuracy.length, ref.classes);
  assert.ok(r.accuracy > 1 / ref.classes && r.accuracy <= 1);
  assert.ok(r.seconds >= 0);
  assert.equal(r.probe, 'ridge');
  assert.equal(r.seed, 3);
});

test('full-layer softmax through the CLI matches the scikit-learn fixture', async () => {
  const s = ref.softmax[1];
  const { code, stdout: out } = await runCli(['probe', '--train', join(dir, 'train.arrow'), '--test', join(dir, 'test.arrow'), '--fraction', '1', '--l2', String(s.l2), '--gtol', '1e-7', '--json']);
  assert.equal(code, 0, out);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.ok(Math.abs(r.accuracy - s.test_accuracy) <= 0.005, `${r.accuracy} vs ${s.test_accuracy}`);
});

test('train/test width mismatch is a usage error naming both files', async () => {
  const narrow = join(dir, 'narrow.arrow');
  const { code, stderr: err } = await runCli(['probe', '--train', join(dir, 'train.arrow'), '--test', narrow, '--fraction', '0.5']);
  assert.equal(code, 2);
  assert.match(err, /train\.arrow has d=8 features but --test .*narrow\.arrow has d=3/);
});

test('exactly one of --fraction and --k is required', async () => {
  const { code, stderr: err } = await runCli(['probe', '--train', join(dir, 'train.arrow'), '--test', join(dir, 'test.arrow')]);
  assert.equal(code, 2);
  assert.match(err, /exactly one of --fraction F or --k K/);
});
