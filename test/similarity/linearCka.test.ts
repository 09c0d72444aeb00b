import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import type { FeatureBlock } from '../../src/types.js';
import { linearCka } from '../../src/similarity/linearCka.js';
import { columns, directCka, layerLike, randomOrthogonal, transform } from './direct.js';

interface PairCase { n: number; p: number; q: number; x: number[]; y: number[]; linear: number; debiased: number }
const fixture = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'similarity', 'cka_fixtures.json'), 'utf8')) as { pairs: PairCase[] };
const block = (values: number[], n: number, d: number): FeatureBlock => ({ data: Float32Array.from(values), n, d });

test('linear and debiased CKA equal the numpy n×n fixtures', async () => {
  for (const c of fixture.pairs) {
    const x = block(c.x, c.n, c.p);
    const y = block(c.y, c.n, c.q);
    assert.ok(Math.abs((await linearCka(x, y)) - c.linear) < 1e-12, `linear n=${c.n}`);
    assert.ok(Math.abs((await linearCka(x, y, { debiased: true })) - c.debiased) < 1e-12, `debiased n=${c.n}`);
  }
});

test('a hand-computed case: X = [1,2,3,4]ᵀ, Y = [1,1,2,6]ᵀ', async () => {
  // Centred x = (−1.5, −.5, .5, 1.5), y = (−1.5, −1.5, −.5, 3.5); for one column each,
  // biased CKA = corr² = (xᵀy)² / (xᵀx · yᵀy) = 8² / (5 · 17) = 64 / 85.
  const x = block([1, 2, 3, 4], 4, 1);
  const y = block([1, 1, 2, 6], 4, 1);
  assert.ok(Math.abs((await linearCka(x, y)) - 64 / 85) < 1e-15);
});

test('Gram-trick CKA equals direct n×n CKA to 1e-10, both variants', async () => {
  const x = layerLike(37, 9, 1);
  const y = layerLike(37, 5, 2);
  for (const debiased of [false, true]) {
    const fast = await linearCka(x, y, { debiased });
    const slow = directCka(x, y, debiased);
    assert.ok(Math.abs(fast - slow) < 1e-10, `debiased=${debiased}: ${fast} vs ${slow}`);
  }
});

test('CKA(X, X) = 1, symmetry, and invariance to isotropic scaling and orthogonal maps', async () => {
  const x = layerLike(50, 6, 3);
  const y = layerLike(50, 4, 4);
  for (const debiased of [false, true]) {
    const opts = { debiased };
    assert.ok(Math.abs((await linearCka(x, x, opts)) - 1) < 1e-12);
    assert.ok(Math.abs((await linearCka(x, { ...x }, opts)) - 1) < 1e-12);
    const xy = await linearCka(x, y, opts);
    assert.ok(xy > 0 && xy < 1);
    assert.ok(Math.abs((await linearCka(y, x, opts)) - xy) < 1e-13);
    const scaled = { data: x.data.map((v) => v * 8), n: x.n, d: x.d }; // power of two: exact in float32
    assert.ok(Math.abs((await linearCka(scaled, y, opts)) - xy) < 1e-12);
    // Rotating X (float32 rounding of X·Q perturbs values by ~1e-7 relative).
    const rotated = transform(x, randomOrthogonal(x.d, 9), x.d);
    assert.ok(Math.abs((await linearCka(rotated, y, opts)) - xy) < 1e-5);
    // Against the direct form on the same rotated float32 values, agreement is exact.
    assert.ok(Math.abs((await linearCka(rotated, y, opts)) - directCka(rotated, y, debiased)) < 1e-10);
  }
});

test('CKA ignores adding a constant to every row (centring), even a large one', async () => {
  const x = layerLike(30, 4, 5);
  const y = layerLike(30, 3, 6);
  for (const shift of [2, 1000]) {
    // Column j moves by shift·(j+1); float32 rounding of the shifted values perturbs CKA slightly.
    const shifted = { data: x.data.map((v, i) => v + (i % 4 + 1) * shift), n: x.n, d: x.d };
    for (const debiased of [false, true]) {
      const got = await linearCka(shifted, y, { debiased });
      assert.ok(Math.abs(got - (await linearCka(x, y, { debiased }))) < 1e-8 * shift, `shift=${shift}`);
      // On the same shifted float32 values the mean correction loses nothing noticeable.
      assert.ok(Math.abs(got - directCka(shifted, y, debiased)) < 1e-9, `shift=${shift} debiased=${debiased}`);
    }
  }
});

test('a subset of columns against itself and a duplicated column set', async () => {
  const x = layerLike(25, 6, 7);
  const s = columns(x, [0, 2, 4]);
  const dup = columns(x, [0, 2, 4, 0, 2, 4]);
  // Duplicating columns scales XXᵀ by 2: CKA is 1.
  assert.ok(Math.abs((await linearCka(s, dup)) - 1) < 1e-12);
});

test('bad inputs are refused with the problem named', async () => {
  const x = layerLike(10, 3, 1);
  const y = layerLike(11, 3, 1);
  await assert.rejects(linearCka(x, y), /10 rows but y has 11/);
  const tiny = layerLike(3, 2, 1);
  await assert.rejects(linearCka(tiny, tiny, { debiased: true }), /at least 4 rows/);
});
