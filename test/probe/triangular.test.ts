import { test } from 'node:test';
import assert from 'node:assert/strict';
import { solveLowerInPlace, solveLowerTransposedInPlace } from '../../src/probe/triangular.js';
import { maxAbsDiff } from './fixture.js';

const l = Float64Array.from([2, 0, 0, 1, 3, 0, -1, 0.5, 4]);

test('forward and back substitution against hand-multiplied products', () => {
  // X = [[1, 0], [2, 1], [−1, 3]]; L·X and Lᵀ·X by hand.
  const x = [1, 0, 2, 1, -1, 3];
  const lx = Float64Array.from([2, 0, 7, 3, -4, 12.5]);
  assert.ok(maxAbsDiff(solveLowerInPlace(l, 3, lx, 2), x) < 1e-14);
  const ltx = Float64Array.from([2 + 2 + 1, 1 - 3, 6 - 0.5, 3 + 1.5, -4, 12]);
  assert.ok(maxAbsDiff(solveLowerTransposedInPlace(l, 3, ltx, 2), x) < 1e-14);
});
