import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { AtomicFile, writeFileAtomic } from '../../src/util/atomicWrite.js';
import { tempDir } from '../cache/tmpdir.js';

const dir = tempDir();

test('commit renames the temp file onto the target; discard leaves nothing', async () => {
  const target = join(dir, 'a', 'b.bin');
  const f = await AtomicFile.create(target);
  await f.writeAt(new TextEncoder().encode('hello'), 0);
  await f.writeAt(new TextEncoder().encode('J'), 0);
  assert.equal(existsSync(target), false);
  await f.commit();
  assert.equal(readFileSync(target, 'utf8'), 'Jello');
  const g = await AtomicFile.create(target);
  await g.writeAt(new TextEncoder().encode('new'), 0);
  await g.discard();
  await g.discard();
  assert.equal(readFileSync(target, 'utf8'), 'Jello', 'the old file is untouched');
  assert.deepEqual(readdirSync(join(dir, 'a')), ['b.bin']);
  await assert.rejects(f.commit(), /already closed/);
});

test('writeFileAtomic writes strings and bytes, replaces old content and leaves no temp file, even on failure', async () => {
  const target = join(dir, 'w', 'x', 'f.txt');
  await writeFileAtomic(target, 'first');
  assert.equal(readFileSync(target, 'utf8'), 'first');
  await writeFileAtomic(target, new Uint8Array([104, 105]));
  assert.equal(readFileSync(target, 'utf8'), 'hi');
  assert.deepEqual(readdirSync(join(dir, 'w', 'x')), ['f.txt']);
  // Renaming a file onto a non-empty folder fails: the folder survives and no temp file is left.
  const blocked = join(dir, 'w', 'blocked');
  mkdirSync(join(blocked, 'inside'), { recursive: true });
  await assert.rejects(writeFileAtomic(blocked, 'data'));
  assert.deepEqual(readdirSync(join(dir, 'w')).sort(), ['blocked', 'x']);
  assert.deepEqual(readdirSync(blocked), ['inside']);
});
