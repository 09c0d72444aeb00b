import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import { runCli } from '../helpers/runCli.js';

const torch = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'torch_randperm.json'), 'utf8')) as {
  randperm: { seed: number; d: number; head: number[] }[];
};

test('dr subsets --rng torch --json prints torch.randperm(d)[:k]', async () => {
  const want = torch.randperm.find((c) => c.seed === 3 && c.d === 2048)!;
  const { code, stdout: out } = await runCli(['subsets', '--d', '2048', '--fraction', '0.1', '--seed', '3', '--rng', 'torch', '--json']);
  assert.equal(code, 0);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.k, 204);
  assert.deepEqual(r.indices, want.head.slice(0, 204));
  assert.deepEqual(r.sortedIndices, [...r.indices].sort((a: number, b: number) => a - b));
  assert.equal(r.rng, 'torch');
  assert.equal(r.seed, 3);
});

test('dr subsets prints indices as one line; --sorted sorts them', async () => {
  const plain = await runCli(['subsets', '--d', '10', '--k', '4', '--seed', '2']);
  assert.equal(plain.code, 0);
  const picked = plain.stdout.trim().split(' ').map(Number);
  assert.equal(picked.length, 4);
  const sorted = await runCli(['subsets', '--d', '10', '--k', '4', '--seed', '2', '--sorted']);
  assert.deepEqual(sorted.stdout.trim().split(' ').map(Number), [...picked].sort((a, b) => a - b));
});

test('dr subsets rejects missing or contradictory sizes with exit code 2', async () => {
  assert.equal((await runCli(['subsets', '--d', '10'])).code, 2);
  assert.equal((await runCli(['subsets', '--d', '10', '--k', '2', '--fraction', '0.5'])).code, 2);
  const big = await runCli(['subsets', '--d', '10', '--k', '11']);
  assert.equal(big.code, 2);
  assert.match(big.stderr, /--k 11 exceeds --d 10/);
  assert.equal((await runCli(['subsets', '--d', '10', '--fraction', '0'])).code, 2);
});
