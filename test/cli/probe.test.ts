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

test('by default λ is chosen on validation data and reported; a bad --l2 is a usage error naming --l2', async () => {
  const files = ['--train', join(dir, 'train.arrow'), '--test', join(dir, 'test.arrow'), '--fraction', '0.5'];
  const auto = await runCli(['probe', ...files, '--probe', 'ridge', '--json']);
  assert.equal(auto.code, 0, auto.stderr);
  const r = JSON.parse(auto.stdout.trim().split('\n').pop()!);
  assert.equal(r.l2Mode, 'auto');
  assert.equal(r.validation.used, true);
  assert.ok(r.validationCurve.l2.length > 5 && r.validationCurve.l2.includes(r.l2));
  const human = await runCli(['probe', ...files, '--probe', 'ridge']);
  assert.match(human.stdout, /λ \S+ \(auto: validation accuracy 0\.\d+ pooled over 10 stratified folds/);
  const grid = await runCli(['probe', ...files, '--probe', 'ridge', '--l2', '0.1,0.001', '--json']);
  const g = JSON.parse(grid.stdout.trim().split('\n').pop()!);
  assert.deepEqual(g.validationCurve.l2, [0.1, 0.001]);
  assert.equal(g.l2Mode, 'grid');
  for (const bad of ['', '-1', 'NaN', 'Infinity', '1,,2', 'abc']) {
    const res = await runCli(['probe', ...files, `--l2=${bad}`]);
    assert.equal(res.code, 2, `--l2=${bad}: ${res.stderr}`);
    assert.match(res.stderr, /--l2/);
  }
  const help = await runCli(['probe', '--help']);
  assert.match(help.stdout, /‖∇‖∞ ≤ gtol·‖∇₀‖∞/);
  assert.match(help.stdout, /--l2 auto \(default\)/);
});
