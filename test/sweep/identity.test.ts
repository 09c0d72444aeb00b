import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFeatureCache } from '../../src/cache/writer.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { readSweepResults } from '../../src/sweep/engine.js';
import { readSweepFileMeta } from '../../src/sweep/identity.js';
import { runCli, lastJson } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';
import { writeCachePair } from '../fixtures/summary/files.js';

const dir = tempDir('dr-sweep-identity-');
const bin = fileURLToPath(new URL('../../../bin/dr.js', import.meta.url));
const { train, test: testFile } = await writeCachePair(dir);

/** Rows of a results file without the timing column, for exact comparison. */
function rowsOf(file: string): Record<string, unknown>[] {
  return (readSweepResults(file).objects() as Record<string, unknown>[]).map(({ seconds: _s, ...r }) => ({ ...r, perClassAccuracy: Array.from(r.perClassAccuracy as ArrayLike<number>) }));
}

function runDr(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (b) => { stdout += b; });
    p.stderr.on('data', (b) => { stderr += b; });
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const grid = ['--fractions', '0.125,0.25,0.5', '--seeds', '1,2,3', '--select', 'random,first', '--probe', 'ridge'];

test('case 1: resuming a results file against other caches is an error naming both files and what differs; --force starts over', async () => {
  const out = join(dir, 'r1.arrow');
  const a = await runCli(['sweep', '--train', train, '--test', testFile, ...grid, '--out', out, '--json']);
  assert.equal(a.code, 0, a.stderr);
  // Other caches with the same model/dataset labels but other n, d and data (the realistic --limit case).
  const g = synthesizeFeatures({ n: 200, d: 16, classes: 3, seed: 9, rank: 4, noise: 0.7 });
  const meta = { modelId: 'toy-model', datasetId: 'toy-data', layer: 'penultimate', classNames: ['a', 'b', 'c'] };
  const t2 = join(dir, 'train-limit.arrow');
  await writeFeatureCache(t2, { features: { data: g.features.data.slice(0, 150 * 16), n: 150, d: 16 }, labels: g.labels.slice(0, 150) }, { ...meta, split: 'train[:150]' });
  const b = await runCli(['sweep', '--train', t2, '--test', testFile, ...grid, '--out', out]);
  assert.equal(b.code, 2);
  assert.match(b.stderr, new RegExp(`${out.replace(/[/.]/g, '\\$&')} holds results of other inputs`));
  assert.ok(b.stderr.includes(train) && b.stderr.includes(t2), 'names the stored and the new train file');
  assert.match(b.stderr, /train n: 300 vs 150/);
  assert.match(b.stderr, /train features checksum/);
  assert.match(b.stderr, /train split: "train" vs "train\[:150\]"/);
  // The other generator is a different identity too.
  const c = await runCli(['sweep', '--train', train, '--test', testFile, ...grid, '--rng', 'torch', '--out', out]);
  assert.equal(c.code, 2);
  assert.match(c.stderr, /rng: "ours" vs "torch"/);
  const f = await runCli(['sweep', '--train', t2, '--test', testFile, ...grid, '--out', out, '--force', '--json']);
  assert.equal(f.code, 0, f.stderr);
  assert.equal(lastJson(f.stdout).skipped, 0);
  assert.equal(readSweepFileMeta(out)?.identity.train.n, 150);
  // A results file without a recorded identity (older version) is not resumed.
  const old = join(dir, 'old.arrow');
  const { writeArrowTable } = await import('../../src/sweep/arrowIo.js');
  writeArrowTable(old, readSweepResults(out));
  const o = await runCli(['sweep', '--train', t2, '--test', testFile, ...grid, '--out', old]);
  assert.equal(o.code, 2);
  assert.match(o.stderr, /does not record which inputs/);
});

test('case 5: train and test caches of different models/layers/classes are refused, listing the differences; --allow-mismatch is recorded', async () => {
  const g = synthesizeFeatures({ n: 100, d: 16, classes: 3, seed: 2 });
  const other = join(dir, 'vgg-test.arrow');
  await writeFeatureCache(other, { features: g.features, labels: g.labels }, { modelId: 'vgg', datasetId: 'toy-data', layer: 'fc7', classNames: ['a', 'b', 'c'], split: 'test' });
  const out = join(dir, 'r5.arrow');
  for (const cmd of [['sweep', ...grid, '--out', out], ['probe', '--fraction', '0.5']]) {
    const r = await runCli([cmd[0], '--train', train, '--test', other, ...cmd.slice(1)]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /modelId: 'toy-model' vs 'vgg'; layer: 'penultimate' vs 'fc7'/);
    assert.match(r.stderr, /--allow-mismatch/);
  }
  const ok = await runCli(['sweep', '--train', train, '--test', other, ...grid, '--out', out, '--allow-mismatch']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(readSweepFileMeta(out)?.identity.allowedMismatch, ["modelId: 'toy-model' vs 'vgg'", "layer: 'penultimate' vs 'fc7'"]);
  const p = await runCli(['probe', '--train', train, '--test', other, '--fraction', '0.5', '--probe', 'ridge', '--allow-mismatch', '--json']);
  assert.equal(p.code, 0, p.stderr);
  assert.deepEqual(lastJson(p.stdout).allowedMismatch, ["modelId: 'toy-model' vs 'vgg'", "layer: 'penultimate' vs 'fc7'"]);
});

test('case 8: two real sweep processes on one --out lose no cell (the second waits for the lock, then resumes)', async () => {
  const out = join(dir, 'r8.arrow');
  const wide = ['--fractions', '0.0625,0.125,0.1875,0.25,0.375,0.5,0.75', '--seeds', '1,2,3,4', '--probe', 'ridge,softmax'];
  const [a, b] = await Promise.all([
    runDr(['sweep', '--train', train, '--test', testFile, ...wide, '--out', out, '--json']),
    runDr(['sweep', '--train', train, '--test', testFile, ...wide, '--select', 'random,first', '--out', out, '--json']),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const ref = join(dir, 'r8-ref.arrow');
  assert.equal((await runCli(['sweep', '--train', train, '--test', testFile, ...wide, '--select', 'random,first', '--out', ref])).code, 0);
  const key = (r: Record<string, unknown>) => `${r.selection}|${r.fraction}|${r.seed}|${r.probe}`;
  const got = rowsOf(out);
  const want = rowsOf(ref);
  assert.equal(got.length, want.length);
  assert.deepEqual(new Set(got.map(key)), new Set(want.map(key)));
  assert.equal(existsSync(`${out}.lock`), false);
});

test('a stale lock of a dead PID is taken over', async () => {
  const out = join(dir, 'r-stale.arrow');
  writeFileSync(`${out}.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, host: (await import('node:os')).hostname(), startedAt: 'then' }));
  const r = await runCli(['sweep', '--train', train, '--test', testFile, '--fractions', '0.5', '--seeds', '1', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(existsSync(`${out}.lock`), false);
});

test('issue 13 item 4: N=3 shards in 3 local processes merge to exactly the unsharded result', async () => {
  const sharded = ['--fractions', '0.0625,0.125,0.25,0.5', '--seeds', '1,2,3', '--select', 'random,first,randproj', '--probe', 'ridge,softmax'];
  const whole = join(dir, 'whole.arrow');
  assert.equal((await runCli(['sweep', '--train', train, '--test', testFile, ...sharded, '--out', whole])).code, 0);
  const parts = [0, 1, 2].map((i) => join(dir, `part${i}.arrow`));
  const runs = await Promise.all(parts.map((p, i) => runDr(['sweep', '--train', train, '--test', testFile, ...sharded, '--shard', `${i}/3`, '--out', p])));
  for (const r of runs) assert.equal(r.code, 0, r.stderr);
  const sizes = parts.map((p) => readSweepResults(p).numRows());
  assert.equal(sizes.reduce((a, b) => a + b, 0), readSweepResults(whole).numRows());
  const merged = join(dir, 'merged.arrow');
  // Given out of order: merge restores the unsharded order.
  const m = await runCli(['merge', parts[2], parts[0], parts[1], '--out', merged]);
  assert.equal(m.code, 0, m.stderr);
  assert.deepEqual(rowsOf(merged), rowsOf(whole));
  // The merged file resumes as the unsharded sweep: nothing left to run.
  const again = await runCli(['sweep', '--train', train, '--test', testFile, ...sharded, '--out', merged, '--json']);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(lastJson(again.stdout).ran, 0);
  // Refusals: a missing shard, a shard twice, a shard of other inputs, a shard resumed as another.
  assert.match((await runCli(['merge', parts[0], parts[1], '--out', join(dir, 'm2.arrow')])).stderr, /shard\(s\) 2\/3 missing/);
  assert.match((await runCli(['merge', parts[0], parts[0], parts[1], '--out', join(dir, 'm2.arrow')])).stderr, /shard 0\/3 given twice/);
  const foreign = join(dir, 'foreign.arrow');
  assert.equal((await runCli(['sweep', '--train', train, '--test', testFile, ...sharded, '--rng', 'torch', '--shard', '2/3', '--out', foreign])).code, 0);
  const fm = await runCli(['merge', parts[0], parts[1], foreign, '--out', join(dir, 'm3.arrow')]);
  assert.equal(fm.code, 2);
  assert.match(fm.stderr, /come from different inputs or settings.*rng: "ours" vs "torch"/);
  const wrong = await runCli(['sweep', '--train', train, '--test', testFile, ...sharded, '--shard', '1/3', '--out', parts[0]]);
  assert.equal(wrong.code, 2);
  assert.match(wrong.stderr, /shard: \{"count":3,"index":0\} vs \{"count":3,"index":1\}/);
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.endsWith('.lock')), []);
});

test('item 9: --seeds 1,1 is refused naming the flag; the library dedupes seeds', async () => {
  const r = await runCli(['sweep', '--train', train, '--test', testFile, '--fractions', '0.5', '--seeds', '1,1', '--out', join(dir, 'dup.arrow')]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--seeds: 1 is given twice/);
  const { runSweep } = await import('../../src/sweep/engine.js');
  const o = await runSweep({ train, test: testFile, fractions: [0.5], seeds: [1, 1], progress: false });
  assert.equal(o.results.numRows(), 2);
});
