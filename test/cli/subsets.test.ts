import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { packageRoot } from '../../src/util/paths.js';

const torch = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'select', 'torch_randperm.json'), 'utf8')) as {
  randperm: { seed: number; d: number; head: number[] }[];
};

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: string | Uint8Array) => { err += String(chunk); return true; }) as typeof process.stderr.write;
  try {
    const code = await main(argv, (s) => { out += s; });
    return { code, out, err };
  } finally {
    process.stderr.write = write;
  }
}

test('dr subsets --rng torch --json prints torch.randperm(d)[:k]', async () => {
  const want = torch.randperm.find((c) => c.seed === 3 && c.d === 2048)!;
  const { code, out } = await run(['subsets', '--d', '2048', '--fraction', '0.1', '--seed', '3', '--rng', 'torch', '--json']);
  assert.equal(code, 0);
  const r = JSON.parse(out.trim().split('\n').pop()!);
  assert.equal(r.k, 204);
  assert.deepEqual(r.indices, want.head.slice(0, 204));
  assert.deepEqual(r.sortedIndices, [...r.indices].sort((a: number, b: number) => a - b));
  assert.equal(r.rng, 'torch');
  assert.equal(r.seed, 3);
});

test('dr subsets prints indices as one line; --sorted sorts them', async () => {
  const plain = await run(['subsets', '--d', '10', '--k', '4', '--seed', '2']);
  assert.equal(plain.code, 0);
  const picked = plain.out.trim().split(' ').map(Number);
  assert.equal(picked.length, 4);
  const sorted = await run(['subsets', '--d', '10', '--k', '4', '--seed', '2', '--sorted']);
  assert.deepEqual(sorted.out.trim().split(' ').map(Number), [...picked].sort((a, b) => a - b));
});

test('dr subsets rejects missing or contradictory sizes with exit code 2', async () => {
  assert.equal((await run(['subsets', '--d', '10'])).code, 2);
  assert.equal((await run(['subsets', '--d', '10', '--k', '2', '--fraction', '0.5'])).code, 2);
  const big = await run(['subsets', '--d', '10', '--k', '11']);
  assert.equal(big.code, 2);
  assert.match(big.err, /--k 11 exceeds --d 10/);
  assert.equal((await run(['subsets', '--d', '10', '--fraction', '0'])).code, 2);
});
