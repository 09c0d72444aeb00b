import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockSums, checkPrefixLengths, prefixSlots, rowSlotSums } from '../../src/similarity/prefixSlots.js';

test('prefixSlots: order [2,0,3,1] with prefixes 1 and 3 → slots by position', () => {
  // Position 0 (neuron 2) is in prefix 1 → slot 0; positions 1, 2 (neurons 0, 3) → slot 1; neuron 1 → outside (2).
  assert.deepEqual(Array.from(prefixSlots(Int32Array.from([2, 0, 3, 1]), [1, 3], 4)), [1, 2, 0, 1]);
});

test('rowSlotSums and blockSums give block sums of squares by hand', () => {
  // C = [[1,2,3],[2,4,5],[3,5,6]]; order [1,2,0], prefixes 1 and 2 → slots: neuron1→0, neuron2→1, neuron0→outside.
  const c = Float64Array.from([1, 2, 3, 2, 4, 5, 3, 5, 6]);
  const q = Float64Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1]);
  const slot = prefixSlots(Int32Array.from([1, 2, 0]), [1, 2], 3);
  const sums = rowSlotSums(c, q, 3, slot, 2);
  // Row 0: level 0 → C[0,1]² = 4; level 1 → 4 + C[0,2]² = 13.
  assert.deepEqual(Array.from(sums.c.subarray(0, 2)), [4, 13]);
  assert.deepEqual(Array.from(sums.q!.subarray(0, 2)), [1, 2]);
  // Self blocks: {1}: C[1,1]² = 16; {1,2}: 16 + 2·25 + 36 = 102.
  assert.deepEqual(Array.from(blockSums(slot, sums.c, 2)), [16, 102]);
  assert.deepEqual(Array.from(blockSums(slot, sums.q!, 2)), [1, 4]);
  assert.equal(rowSlotSums(c, undefined, 3, slot, 2).q, undefined);
});

test('prefix lengths must be ascending, distinct and in range', () => {
  assert.throws(() => checkPrefixLengths([], 3), /no prefix lengths/);
  assert.throws(() => checkPrefixLengths([2, 2], 3), /ascending distinct/);
  assert.throws(() => checkPrefixLengths([4], 3), /\[1, 3\]/);
  checkPrefixLengths([1, 3], 3);
});
