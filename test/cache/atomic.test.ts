import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AtomicFile } from '../../src/cache/atomic.js';
import { tempDir } from './tmpdir.js';

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
