import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { readTar, extractTar } from '../../src/datasets/tar.js';
import { encodeTar } from '../helpers/encodeTar.js';

test('round trip and gzip', async () => {
  const entries = [{ path: 'cifar-10-batches-bin/test_batch.bin', data: Uint8Array.from([1, 2, 3]) }, { path: 'a/b.txt', data: new Uint8Array(600).fill(7) }];
  const tgz = gzipSync(encodeTar(entries));
  const back = readTar(tgz);
  assert.deepEqual(back.map((e) => e.path), entries.map((e) => e.path));
  assert.deepEqual(Array.from(back[1].data), Array.from(entries[1].data));
  const dir = mkdtempSync(join(tmpdir(), 'tar-'));
  assert.equal(await extractTar(tgz, dir), 2);
  assert.deepEqual(Array.from(readFileSync(join(dir, 'cifar-10-batches-bin/test_batch.bin'))), [1, 2, 3]);
  await assert.rejects(extractTar(encodeTar([{ path: '../evil', data: new Uint8Array(1) }]), dir), /refusing to extract/);
});

test('reads an archive made by the system tar', () => {
  let archive: Buffer;
  const dir = mkdtempSync(join(tmpdir(), 'tar-sys-'));
  try {
    execFileSync('sh', ['-c', `mkdir -p ${dir}/jpg && printf abc > ${dir}/jpg/image_00001.jpg && tar -C ${dir} -cf ${dir}/x.tar jpg`]);
    archive = readFileSync(join(dir, 'x.tar'));
  } catch {
    return; // no tar binary on this machine
  }
  const files = readTar(archive);
  assert.deepEqual(files.map((f) => [f.path, Buffer.from(f.data).toString()]), [['jpg/image_00001.jpg', 'abc']]);
});
