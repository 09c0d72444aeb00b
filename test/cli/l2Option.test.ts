import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseL2Option } from '../../src/cli/l2Option.js';

test('--l2 parses auto, one value and a list; a list is sorted descending without repeats', () => {
  assert.equal(parseL2Option(undefined), 'auto');
  assert.equal(parseL2Option('auto'), 'auto');
  assert.equal(parseL2Option('0.1'), 0.1);
  assert.equal(parseL2Option('0'), 0);
  assert.deepEqual(parseL2Option('1e-3, 0.1,1e-3'), [0.1, 1e-3]);
});

test('an empty, negative, non-finite or non-numeric --l2 is an error naming --l2', () => {
  for (const bad of ['', ' ', '-1', 'NaN', 'Infinity', '1,,2', 'x', '0.1,-2', '1e400']) {
    assert.throws(() => parseL2Option(bad), /--l2/, `'${bad}'`);
  }
});
