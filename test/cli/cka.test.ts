import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFeatureCache } from '../../src/cache/index.js';
import { linearCka } from '../../src/similarity/linearCka.js';
import { randomNeuronIndices } from '../../src/select/randomNeurons.js';
import { columns, layerLike } from '../similarity/direct.js';
import { runCli } from '../helpers/runCli.js';

const x = layerLike(30, 20, 5);
// The CLI uses the fastest backend, which may round centred values to float32 (centring 'shift').
const TOL = 1e-7;
let dir = '';
before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dr-cka-cli-'));
  await writeFeatureCache(join(dir, 'layer.arrow'), { features: x, labels: new Int32Array(x.n) }, { modelId: 'fixture', split: 'test' });
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('dr cka --mode subset-subset --json: one entry per (fraction, pair) with seeds and cka', async () => {
  const { code, stdout: out } = await runCli(['cka', '--features', join(dir, 'layer.arrow'), '--fractions', '0.25,0.5', '--seeds', '1,2,3', '--mode', 'subset-subset', '--variant', 'debiased', '--json']);
  assert.equal(code, 0, out);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.entries.length, 2 * 3);
  assert.equal(r.n, 30);
  assert.equal(r.d, 20);
  for (const e of r.entries) {
    assert.equal(e.seeds.length, 2);
    const a = columns(x, randomNeuronIndices(20, e.k, e.seeds[0]));
    const b = columns(x, randomNeuronIndices(20, e.k, e.seeds[1]));
    assert.ok(Math.abs(e.cka - (await linearCka(a, b, { debiased: true }))) < TOL);
  }
});

test('dr cka part-whole with --rows uses the first N rows and the torch subsets', async () => {
  const { code, stdout: out } = await runCli(['cka', '--features', join(dir, 'layer.arrow'), '--fractions', '0.1', '--seeds', '4', '--rows', '12', '--rng', 'torch', '--json']);
  assert.equal(code, 0, out);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.n, 12);
  assert.equal(r.entries.length, 1);
  const [e] = r.entries;
  assert.deepEqual(e.seeds, [4]);
  assert.equal(e.k, 2);
  const head = { data: x.data.subarray(0, 12 * 20), n: 12, d: 20 };
  const want = await linearCka(columns(head, randomNeuronIndices(20, 2, 4, 'torch')), head);
  assert.ok(Math.abs(e.cka - want) < TOL);
});

test('dr cka prints a table without --json and refuses bad lists', async () => {
  const human = await runCli(['cka', '--features', join(dir, 'layer.arrow'), '--fractions', '0.5', '--seeds', '1,2', '--mode', 'both']);
  assert.equal(human.code, 0);
  assert.match(human.stdout, /part-whole\s+0\.5\s+10\s+1\s/);
  assert.match(human.stdout, /subset-subset\s+0\.5\s+10\s+1-2/);
  assert.equal((await runCli(['cka', '--features', join(dir, 'layer.arrow'), '--seeds', '1,1', '--mode', 'subset-subset'])).code, 2);
  assert.equal((await runCli(['cka', '--features', join(dir, 'layer.arrow'), '--fractions', '0'])).code, 2);
  const missing = await runCli(['cka', '--features', join(dir, 'nope.arrow')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /nope\.arrow/);
});

test('dr cka says why a subset of dead units has no CKA', async () => {
  const n = 12;
  const d = 4;
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) for (let j = 1; j < d; j++) data[i * d + j] = ((i * (j + 2)) % 7) - 3; // unit 0 is dead
  const file = join(dir, 'dead.arrow');
  await writeFeatureCache(file, { features: { data, n, d }, labels: new Int32Array(n) }, { modelId: 'fixture', split: 'test' });
  // k = 1 subsets of seeds 1..8: at least one of them is the dead unit 0.
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8].filter((s) => randomNeuronIndices(d, 1, s)[0] === 0);
  assert.ok(seeds.length > 0);
  const r = await runCli(['cka', '--features', file, '--fractions', '0.25', '--seeds', String(seeds[0])]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /undefined: every neuron of the subset is constant on these rows \(dead units\)/);
});
