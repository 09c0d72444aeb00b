import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, shardFileName, shardRange } from '../../src/models/shards.js';
import { UsageError } from '../../src/util/errors.js';

test('parseShard accepts i/N with 0 <= i < N and rejects the rest with a usage error', () => {
  assert.deepEqual(parseShard('0/4'), { index: 0, count: 4 });
  assert.deepEqual(parseShard(' 3 / 4 '), { index: 3, count: 4 });
  for (const bad of ['4/4', '1/0', 'a/b', '1', '-1/3']) assert.throws(() => parseShard(bad), UsageError, bad);
});

test('shard ranges tile 0..n exactly, sizes differing by at most one', () => {
  for (const [n, count] of [[10, 3], [7, 7], [3, 5], [1000, 8]]) {
    let next = 0;
    const sizes = [];
    for (let index = 0; index < count; index++) {
      const { start, end } = shardRange(n, { index, count });
      assert.equal(start, next);
      next = end;
      sizes.push(end - start);
    }
    assert.equal(next, n);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1);
  }
  assert.equal(shardFileName({ index: 2, count: 16 }), 'shard-00002-of-00016.arrow');
});
