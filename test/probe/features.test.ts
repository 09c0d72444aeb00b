import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyStandardizer, countClasses, fitStandardizer, gatherColumns, gatherRows } from '../../src/probe/features.js';

const block = { data: Float32Array.from([1, 2, 3, 4, 5, 6]), n: 2, d: 3 };

test('gathers columns in pick order and rows in the given order', () => {
  assert.deepEqual(Array.from(gatherColumns(block, Int32Array.from([2, 0])).data), [3, 1, 6, 4]);
  assert.deepEqual(Array.from(gatherRows(block, Int32Array.from([1, 0])).data), [4, 5, 6, 1, 2, 3]);
  assert.throws(() => gatherColumns(block, Int32Array.from([3])), /index 3 outside 0..2/);
});

test('gathering every column in order shares the block (no n×d copy); any other order copies', () => {
  const all = gatherColumns(block, Int32Array.from([0, 1, 2]));
  assert.equal(all.data, block.data);
  assert.deepEqual([all.n, all.d], [2, 3]);
  const perm = gatherColumns(block, Int32Array.from([0, 2, 1]));
  assert.notEqual(perm.data, block.data);
  assert.deepEqual(Array.from(perm.data), [1, 3, 2, 4, 6, 5]);
  assert.throws(() => gatherColumns(block, Int32Array.from([0, 1, 3])), /index 3 outside 0..2/);
});

test('standardiser uses population statistics; constant columns map to 0', () => {
  const b = { data: Float32Array.from([1, 7, 3, 7]), n: 2, d: 2 };
  const s = fitStandardizer(b);
  assert.deepEqual(Array.from(s.mean), [2, 7]);
  assert.deepEqual(Array.from(s.invStd), [1, 1]);
  assert.deepEqual(Array.from(applyStandardizer({ data: Float32Array.from([4, 7]), n: 1, d: 2 }, s).data), [2, 0]);
});

test('countClasses is max label + 1 and rejects negatives', () => {
  assert.equal(countClasses(Int32Array.from([0, 4, 2])), 5);
  assert.throws(() => countClasses(Int32Array.from([0, -1])), /label -1 at row 1/);
});
