import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkersLinalg } from '../../src/linalg/workers.js';
import { assertAgreesWithReference } from './agreement.js';

test('worker-thread linalg (forced onto 2 workers for every size) agrees with the reference', async () => {
  const l = createWorkersLinalg({ threads: 2, smallFlops: 0 });
  try {
    await assertAgreesWithReference(l, 1e-13);
    // Inputs already in a SharedArrayBuffer are used without a copy.
    const sab = new Float32Array(new SharedArrayBuffer(4 * 6));
    sab.set([1, 2, 3, 4, 5, 6]);
    assert.deepEqual(Array.from(await l.gram(sab, 3, 2)), [35, 44, 44, 56]);
  } finally {
    await l.dispose?.();
  }
});
