// The argument and exit-code contract (issue 12, items 3, 4 and 9): usage errors exit 2 naming the
// flag, file errors exit 1 naming the file, bad values never give a number.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableToIPC } from 'apache-arrow';
import { writeNpy } from '../../src/cache/npy.js';
import { AtomicFile } from '../../src/util/atomicWrite.js';
import { runCli } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';
import { cacheLikeTable, metaJson } from '../cache/arrowFixtures.js';
import { writeCachePair } from '../fixtures/summary/files.js';

const dir = tempDir('dr-contract-');
const { train, test: testFile } = await writeCachePair(dir);
const esc = (s: string) => s.replace(/[/.[\]()]/g, '\\$&');

async function expectCode(args: string[], code: number, message: RegExp): Promise<void> {
  const r = await runCli(args);
  assert.equal(r.code, code, `dr ${args.join(' ')}: exit ${r.code}, stderr ${r.stderr}`);
  assert.match(r.stderr, message, `dr ${args.join(' ')}`);
}

test('item 9: --out \'\' and --out dir/ are usage errors naming --out, and write nothing', async () => {
  await expectCode(['sweep', '--train', train, '--test', testFile, '--fractions', '0.5', '--out', ''], 2, /--out: expected FILE\.arrow, got an empty string/);
  await expectCode(['export', '--features', train, '--out', ''], 2, /--out: expected PREFIX, got an empty string/);
  const sub = join(dir, 'sub');
  mkdirSync(sub);
  await expectCode(['export', '--features', train, '--out', `${sub}/`], 2, /--out: .* is a folder, not a file prefix/);
  await expectCode(['export', '--features', train, '--out', sub], 2, /--out: .* is a folder, not a file prefix/);
  assert.deepEqual(readdirSync(sub), []);
});

test('item 9: out-of-range values are usage errors naming the flag (--delta, --fraction, --fractions, --seed 1e30)', async () => {
  const res = join(dir, 'res.arrow');
  assert.equal((await runCli(['sweep', '--train', train, '--test', testFile, '--fractions', '0.5', '--seeds', '1', '--out', res])).code, 0);
  for (const d of ['1.5', '-1', '0']) await expectCode(['dr', '--results', res, '--delta', d], 2, /--delta: .* is outside \(0, 1\]/);
  await expectCode(['probe', '--train', train, '--test', testFile, '--fraction', '0'], 2, /--fraction: must be > 0, got 0/);
  await expectCode(['reproduce', 'E1', '--fractions', '0', '--out', join(dir, 'rep')], 2, /--fractions: must be > 0, got 0/);
  await expectCode(['synth', '--n', '4', '--d', '2', '--classes', '2', '--seed', '1e30', '--out', join(dir, 's.arrow')], 2, /--seed: 1e30 is beyond the exactly representable integers/);
  await expectCode(['pretrain', '--model', 'mlp', '--all'], 2, /--model and --all exclude each other/);
});

test('item 9: missing inputs exit 1 naming the file in every command; folders too (EISDIR with the path)', async () => {
  const missing = join(dir, 'missing.arrow');
  const res = join(dir, 'res-m.arrow');
  const cases: string[][] = [
    ['info', missing],
    ['export', '--features', missing, '--out', join(dir, 'e')],
    ['import', '--features', join(dir, 'missing.npy'), '--labels', join(dir, 'missing.npy'), '--out', join(dir, 'i.arrow')],
    ['probe', '--train', train, '--test', missing, '--fraction', '0.5'],
    ['sweep', '--train', missing, '--test', testFile, '--fractions', '0.5', '--out', res],
    ['dr', '--results', missing],
    ['fairness', '--results', missing],
    ['cka', '--features', missing],
  ];
  for (const c of cases) await expectCode(c, 1, /missing\.(arrow|npy)/);
  const folder = join(dir, 'afolder');
  mkdirSync(folder);
  for (const c of [['info', folder], ['dr', '--results', folder], ['import', '--features', folder, '--labels', folder, '--out', join(dir, 'i.arrow')], ['sweep', '--train', folder, '--test', testFile, '--fractions', '0.5', '--out', res]]) {
    await expectCode(c, 1, new RegExp(`${esc(folder)}: .*(folder|directory)`));
  }
});

test('item 9: synth --out under /proc fails at once naming the folder (no endless mkdir)', () => {
  const bin = fileURLToPath(new URL('../../../bin/dr.js', import.meta.url));
  const r = spawnSync(process.execPath, [bin, 'synth', '--n', '4', '--d', '2', '--classes', '2', '--seed', '1', '--out', '/proc/x/s.arrow'], { encoding: 'utf8', timeout: 20_000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /\/proc\/x: cannot create this folder/);
});

test('item 9: a disk-full write error names the file', async () => {
  const f = await AtomicFile.create(join(dir, 'full.bin'));
  (f.handle as any).write = async () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); };
  await assert.rejects(f.writeAt(new Uint8Array(4), 0), new RegExp(`${esc(join(dir, 'full.bin'))}: cannot write \\(no space left on the device \\[ENOSPC\\]\\)`));
  await f.discard();
});

test('item 9: a valid zero-row Arrow cache (no record batch) is read as n = 0, not called corrupted', async () => {
  const { table } = cacheLikeTable(3, [], metaJson(0, 3));
  const p = join(dir, 'zero.arrow');
  writeFileSync(p, tableToIPC(table, 'file'));
  const r = await runCli(['info', p, '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /"n":0/);
});

test('cases 3 and 4: labels outside the classes and NaN/Inf features are refused by import naming file, row and column', async () => {
  const x = join(dir, 'x.npy');
  const y = join(dir, 'y.npy');
  const feats = new Float32Array(12).map((_, i) => i);
  await writeNpy(x, feats, [4, 3]);
  await writeNpy(y, Int32Array.of(0, 1, 2, 1));
  await expectCode(['import', '--features', x, '--labels', y, '--meta', 'classNames=a,b', '--out', join(dir, 'imp.arrow')], 1, new RegExp(`${esc(y)}: row 2, column 'label': value 2 is outside 0\\.\\.1`));
  feats[7] = NaN;
  await writeNpy(x, feats, [4, 3]);
  await expectCode(['import', '--features', x, '--labels', y, '--out', join(dir, 'imp.arrow')], 1, new RegExp(`${esc(x)}: row 2, column 1: value NaN is not finite`));
  assert.equal(existsSync(join(dir, 'imp.arrow')), false);
});

test('cases 3 and 4: a foreign cache (no checksums) with a NaN feature or an out-of-range label gives no number', async () => {
  const { table, features } = cacheLikeTable(4, [5, 5], metaJson(10, 4, { classNames: ['a', 'b', 'c', 'd'] }));
  const bytes = tableToIPC(table, 'file');
  const at = (v: number) => Buffer.from(bytes).indexOf(Buffer.from(new Uint8Array(new Float32Array([v]).buffer)));
  const nanBytes = new Uint8Array(bytes);
  nanBytes.set(new Uint8Array(new Float32Array([NaN]).buffer), at(features[9]));
  const nanFile = join(dir, 'nan.arrow');
  writeFileSync(nanFile, nanBytes);
  for (const c of [['info', nanFile], ['export', '--features', nanFile, '--out', join(dir, 'nan-e')], ['cka', '--features', nanFile], ['cka', '--features', nanFile, '--rows', '4'], ['probe', '--train', nanFile, '--test', nanFile, '--fraction', '0.5']]) {
    await expectCode(c, 1, new RegExp(`${esc(nanFile)}: row 2, column 'features' \\(neuron 1\\): value NaN is not finite`));
  }
  assert.equal(existsSync(join(dir, 'nan-e.features.npy')), false);
  const { table: t2 } = cacheLikeTable(4, [10], metaJson(10, 4, { classNames: ['a', 'b', 'c', 'd'] }));
  const labelBytes = new Uint8Array(tableToIPC(t2, 'file'));
  const labels = Buffer.from(new Uint8Array(Int32Array.from({ length: 10 }, (_, i) => (i * 7) % 4).buffer));
  const lat = Buffer.from(labelBytes).indexOf(labels);
  labelBytes[lat + 4 * 3 + 3] = 0x40;
  const badLabel = join(dir, 'label.arrow');
  writeFileSync(badLabel, labelBytes);
  await expectCode(['sweep', '--train', badLabel, '--test', badLabel, '--fractions', '0.5', '--out', join(dir, 'lab.arrow')], 1, new RegExp(`${esc(badLabel)}: row 3, column 'label': value \\d+ is outside 0\\.\\.3`));
  await expectCode(['info', badLabel], 1, /row 3, column 'label'/);
});

test('--no-verify (any command) reads a corrupted cache as it is; without it the read fails naming file and column', async () => {
  const { readFileSync } = await import('node:fs');
  const { openFeatureCache } = await import('../../src/cache/reader.js');
  const c = await openFeatureCache(train);
  const at = (c as any).locations[0].featuresAt as number;
  await c.close();
  const bytes = new Uint8Array(readFileSync(train));
  bytes[at + 2] ^= 1;
  const bad = join(dir, 'flipped.arrow');
  writeFileSync(bad, bytes);
  await expectCode(['info', bad], 1, new RegExp(`${esc(bad)}: content checksum mismatch in column 'features'`));
  await expectCode(['probe', '--train', bad, '--test', testFile, '--fraction', '0.5', '--probe', 'ridge'], 1, /content checksum mismatch/);
  const r = await runCli(['info', bad, '--no-verify']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /checksums: not verified \(--no-verify\)/);
  // The setting held for that command only.
  await expectCode(['info', bad], 1, /content checksum mismatch/);
});
