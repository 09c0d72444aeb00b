import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { SeededRng, splitMix64First } from '../../src/util/random.js';

interface RngCase { seed: number; uint32: number[]; floats: number[]; below: number[]; prefix2048: number[] }
const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'seeded_rng.json'), 'utf8')) as {
  splitmix64_seed0_first: string;
  cases: RngCase[];
};
const BELOW_BOUNDS = [1, 2, 3, 10, 1000, 2 ** 31 + 1, 2 ** 32, 7];

test('SplitMix64 seeding matches the published value SplitMix64(0) = 0xE220A8397B1DCDAF', () => {
  assert.equal(splitMix64First(0n), 0xe220a8397b1dcdafn);
  assert.equal(`0x${splitMix64First(0n).toString(16)}`, fixture.splitmix64_seed0_first);
});

test('xoshiro128** step matches the reference C code on state {1, 2, 3, 4}', () => {
  // result = rotl(s1 * 5, 7) * 9 = rotl(10, 7) * 9 = 1280 * 9.
  const rng = SeededRng.fromState(1, 2, 3, 4);
  assert.equal(rng.nextUint32(), 11520);
  // Next state by hand: s2=3^1=2, s3=4^2=6, s1=2^2=0, s0=1^6=7, s2^=2<<9 → 1026, s3=rotl(6,11)=12288.
  // Then result = rotl(0 * 5, 7) * 9 = 0.
  assert.equal(rng.nextUint32(), 0);
  // The remaining outputs of the reference vector (Blackman & Vigna v1.1, as in rand_xoshiro's tests).
  assert.deepEqual(Array.from({ length: 8 }, () => rng.nextUint32()), [5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
});

test('SeededRng reproduces the independent Python implementation bit for bit', () => {
  for (const c of fixture.cases) {
    let rng = new SeededRng(c.seed);
    assert.deepEqual(Array.from({ length: 16 }, () => rng.nextUint32()), c.uint32, `uint32 seed=${c.seed}`);
    rng = new SeededRng(c.seed);
    assert.deepEqual(Array.from({ length: 8 }, () => rng.nextFloat()), c.floats, `floats seed=${c.seed}`);
    rng = new SeededRng(c.seed);
    const bounds = [...BELOW_BOUNDS, ...BELOW_BOUNDS, ...BELOW_BOUNDS];
    assert.deepEqual(bounds.map((n) => rng.below(n)), c.below, `below seed=${c.seed}`);
    rng = new SeededRng(c.seed);
    assert.deepEqual(Array.from(rng.samplePrefix(2048, 40)), c.prefix2048, `prefix seed=${c.seed}`);
  }
});

test('uniform floats lie in [0, 1) with mean 1/2 and variance 1/12', () => {
  const rng = new SeededRng(7);
  const m = 200_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const u = rng.nextFloat();
    assert.ok(u >= 0 && u < 1);
    s += u;
    s2 += u * u;
  }
  const mean = s / m;
  assert.ok(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / m));
  assert.ok(Math.abs(s2 / m - mean * mean - 1 / 12) < 0.002);
});

test('below(n) is uniform: chi-square on n = 6 within the 99.9% bound', () => {
  const rng = new SeededRng(11);
  const counts = new Array(6).fill(0);
  const m = 60_000;
  for (let i = 0; i < m; i++) counts[rng.below(6)]++;
  const chi2 = counts.reduce((acc, c) => acc + (c - m / 6) ** 2 / (m / 6), 0);
  assert.ok(chi2 < 20.52, `chi2=${chi2}`); // chi-square(5) 0.999 quantile
});

test('normals have mean 0 and variance 1', () => {
  const rng = new SeededRng(3);
  const m = 100_000;
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < m; i++) {
    const z = rng.nextNormal();
    s += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s / m) < 0.02);
  assert.ok(Math.abs(s2 / m - 1) < 0.02);
});

test('permutations are permutations, seeds are reproducible and prefixes nest', () => {
  const p = new SeededRng(5).permutation(1000);
  assert.deepEqual(Array.from(p).sort((a, b) => a - b), Array.from({ length: 1000 }, (_, i) => i));
  assert.deepEqual(new SeededRng(5).permutation(1000), p);
  assert.notDeepEqual(new SeededRng(6).permutation(1000), p);
  assert.deepEqual(new SeededRng(5).samplePrefix(1000, 50), p.subarray(0, 50));
});

test('bad arguments are refused with the argument named', () => {
  assert.throws(() => new SeededRng(1.5), /seed must be a safe integer/);
  assert.throws(() => new SeededRng(0).below(0), /n must be an integer/);
  assert.throws(() => new SeededRng(0).samplePrefix(3, 4), /k must be an integer/);
  assert.throws(() => SeededRng.fromState(0, 0, 0, 0), /all-zero/);
});
