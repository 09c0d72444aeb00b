import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { Mt19937, torchRand, torchRandperm } from '../../src/select/torchRandom.js';

interface PermCase { seed: number; d: number; head: number[]; weightedSum: number; perm?: number[] }
const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'torch_randperm.json'), 'utf8')) as {
  torchVersion: string;
  randperm: PermCase[];
  rand: { seed: number; values: number[] }[];
  rand2d: { seed: number; rows: number; cols: number; values: number[] };
};

test('MT19937 matches the reference outputs of the standard generator', () => {
  // std::mt19937 with the default seed 5489: first output and the 10000th (C++11 [rand.predef]).
  const gen = new Mt19937(5489);
  assert.equal(gen.nextUint32(), 3499211612);
  for (let i = 2; i < 10000; i++) gen.nextUint32();
  assert.equal(gen.nextUint32(), 4123659995);
});

test(`torchRandperm equals torch ${fixture.torchVersion} randperm for every fixture (seed, d)`, () => {
  assert.ok(fixture.randperm.length >= 70);
  for (const c of fixture.randperm) {
    const perm = torchRandperm(c.d, c.seed);
    const what = `seed=${c.seed} d=${c.d}`;
    assert.deepEqual(Array.from(perm.subarray(0, c.head.length)), c.head, what);
    let sum = 0;
    for (let i = 0; i < perm.length; i++) sum += (i + 1) * perm[i];
    assert.equal(sum, c.weightedSum, what);
    if (c.perm) assert.deepEqual(Array.from(perm), c.perm, what);
  }
});

test('a torch prefix of length k equals the full permutation\'s first k entries', () => {
  for (const k of [1, 7, 204, 511, 512]) {
    assert.deepEqual(torchRandperm(512, 3, k), torchRandperm(512, 3).subarray(0, k));
  }
});

test('torch seeds wrap modulo 2^32 like torch.manual_seed', () => {
  assert.deepEqual(torchRandperm(50, -1), torchRandperm(50, 4294967295));
  assert.deepEqual(torchRandperm(50, 4294967296 + 3), torchRandperm(50, 3));
});

test('torchRand equals torch.rand in float32', () => {
  for (const r of fixture.rand) {
    assert.deepEqual(Array.from(torchRand(r.values.length, r.seed)), r.values, `seed=${r.seed}`);
  }
  const m = fixture.rand2d;
  assert.deepEqual(Array.from(torchRand(m.rows * m.cols, m.seed)), m.values);
});

test('torchRandperm rejects bad sizes', () => {
  assert.throws(() => torchRandperm(-1, 0), /n must be/);
  assert.throws(() => torchRandperm(5, 0, 6), /k must be/);
  assert.equal(torchRandperm(0, 0).length, 0);
});
