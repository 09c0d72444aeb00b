import { test } from 'node:test';
import assert from 'node:assert/strict';
import { balancedTriangleSplit, crossSync, gramSync, matmulSync } from '../../src/linalg/kernels.js';
import { typescriptLinalg } from '../../src/linalg/select.js';
import { assertAgreesWithReference } from './agreement.js';

test('blocked TypeScript kernels agree with the float64 reference on edge shapes', async () => {
  await assertAgreesWithReference(typescriptLinalg, 1e-13);
});

test('hand-computed products', () => {
  const a = Float32Array.from([1, 2, 3, 4, 5, 6]); // 3×2
  assert.deepEqual(Array.from(gramSync(a, 3, 2)), [35, 44, 44, 56]);
  assert.deepEqual(Array.from(crossSync(a, Float32Array.from([1, 0, 1]), 3, 2, 1)), [6, 8]);
  assert.deepEqual(Array.from(matmulSync(a, Float32Array.from([1, -1]), 3, 2, 1)), [-1, -1, -1]);
});

test('balancedTriangleSplit covers all rows with about equal triangle work', () => {
  const b = balancedTriangleSplit(1000, 2);
  assert.equal(b[0], 0);
  assert.equal(b.at(-1), 1000);
  const work = (i0: number, i1: number) => { let s = 0; for (let i = i0; i < i1; i++) s += 1000 - i; return s; };
  assert.ok(Math.abs(work(b[0], b[1]) - work(b[1], b[2])) <= 2 * 1000); // one row is worth at most p
  assert.deepEqual(balancedTriangleSplit(1, 3), [0, 1, 1, 1]);
});
