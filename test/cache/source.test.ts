import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { memorySource, openFileSource, readBytes } from '../../src/cache/source.js';
import { tempDir } from './tmpdir.js';

const dir = tempDir();

test('file and memory sources read the same bytes and reject reads past the end with the name', async () => {
  const bytes = Uint8Array.from({ length: 100 }, (_, i) => i);
  writeFileSync(join(dir, 'b.bin'), bytes);
  const file = await openFileSource(join(dir, 'b.bin'));
  const mem = memorySource(bytes, 'mem');
  for (const s of [file, mem]) {
    assert.equal(s.size, 100);
    assert.deepEqual(Array.from(await readBytes(s, 10, 5)), [10, 11, 12, 13, 14]);
    await assert.rejects(readBytes(s, 98, 5), /truncated or corrupted: needs bytes \[98, 103\)/);
  }
  assert.equal(file.view(0, 4), undefined);
  assert.equal(mem.view(0, 4)!.buffer, bytes.buffer);
  await file.close();
  await assert.rejects(openFileSource(join(dir, 'none')), /none: no such file/);
});
