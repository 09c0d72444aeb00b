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

test('case 7: stale temporary files of dead PIDs next to a target are swept by the next write; live ones are kept', async () => {
  const { writeFileSync } = await import('node:fs');
  const { sweepStaleTemps, writeFileAtomicSync } = await import('../../src/util/atomicWrite.js');
  const d = join(dir, 'stale');
  mkdirSync(d);
  const target = join(d, 'r.arrow');
  const deadPid = 2 ** 22 + 4321;
  const dead = [`r.arrow.${deadPid}.0123456789ab.tmp`, `r.arrow.tmp-${deadPid}-1700000000000`];
  const live = `r.arrow.${process.pid}.aaaaaaaaaaaa.tmp`;
  const unrelated = `other.arrow.${deadPid}.0123456789ab.tmp`;
  for (const f of [...dead, live, unrelated]) writeFileSync(join(d, f), 'x');
  writeFileAtomicSync(target, 'new');
  assert.deepEqual(readdirSync(d).sort(), [unrelated, 'r.arrow', live].sort());
  assert.deepEqual(sweepStaleTemps(join(d, 'other.arrow')), [join(d, unrelated)]);
});

test('case 7: SIGTERM and SIGINT during a streaming write remove the temporary file (real processes)', async () => {
  const { spawn } = await import('node:child_process');
  const url = new URL('../../src/util/atomicWrite.js', import.meta.url).href;
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const d = join(dir, `sig-${signal}`);
    mkdirSync(d);
    const script = `import { AtomicFile } from ${JSON.stringify(url)};
      const f = await AtomicFile.create(${JSON.stringify(join(d, 'big.bin'))});
      await f.writeAt(new Uint8Array(1024), 0);
      process.stdout.write('writing\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    assert.equal(readdirSync(d).length, 1, 'the temporary file exists while writing');
    child.kill(signal);
    const got = await new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, sig) => resolve(sig)));
    assert.equal(got, signal, 'the process still ends by the signal');
    assert.deepEqual(readdirSync(d), [], `${signal} removed the temporary file`);
  }
});
