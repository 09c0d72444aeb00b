import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SynthRng } from '../../src/cache/prng.js';

test('xoshiro128** from state {1,2,3,4} gives the reference outputs (Blackman & Vigna v1.1, as in rand_xoshiro tests)', () => {
  const rng = SynthRng.fromState(1, 2, 3, 4);
  const got = Array.from({ length: 10 }, () => rng.nextUint32());
  assert.deepEqual(got, [11520, 0, 5927040, 70819200, 2031721883, 1637235492, 1287239034, 3734860849, 3729100597, 4258142804]);
});

test('same seed, same stream; different seeds, different streams; seed 0 is usable', () => {
  const a = new SynthRng(42);
  const b = new SynthRng(42);
  const c = new SynthRng(43);
  const sa = Array.from({ length: 8 }, () => a.nextUint32());
  assert.deepEqual(sa, Array.from({ length: 8 }, () => b.nextUint32()));
  assert.notDeepEqual(sa, Array.from({ length: 8 }, () => c.nextUint32()));
  const z = new SynthRng(0);
  assert.ok(Array.from({ length: 8 }, () => z.nextUint32()).some((v) => v !== 0));
  assert.throws(() => new SynthRng(1.5), /seed must be an integer/);
});

test('uniform() in [0,1), below(m) in range and roughly uniform, normal() has mean 0 and variance 1', () => {
  const rng = new SynthRng(7);
  const counts = new Array(6).fill(0);
  for (let i = 0; i < 60000; i++) {
    const u = rng.uniform();
    assert.ok(u >= 0 && u < 1);
    counts[rng.below(6)]++;
  }
  // Each count ~ Binomial(60000, 1/6): sd ≈ 91, so ±500 is > 5 sd.
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `count ${c}`);
  let sum = 0;
  let sq = 0;
  const m = 200000;
  for (let i = 0; i < m; i++) {
    const x = rng.normal();
    sum += x;
    sq += x * x;
  }
  const mean = sum / m;
  const variance = sq / m - mean * mean;
  assert.ok(Math.abs(mean) < 0.015, `mean ${mean}`); // sd of the mean ≈ 0.0022
  assert.ok(Math.abs(variance - 1) < 0.02, `variance ${variance}`); // sd ≈ 0.0032
});
