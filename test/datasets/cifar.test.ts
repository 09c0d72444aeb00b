import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseCifarBinary, loadCifar } from '../../src/datasets/cifar.js';

/** One CIFAR-10 record: label byte, then R, G, B planes of 1024 bytes with constant values. */
function record10(label: number, r: number, g: number, b: number): Uint8Array {
  const out = new Uint8Array(1 + 3072);
  out[0] = label;
  out.fill(r, 1, 1025);
  out.fill(g, 1025, 2049);
  out.fill(b, 2049, 3073);
  return out;
}

test('CIFAR-10 record: planar RGB becomes interleaved NHWC in [0,1]', () => {
  const rec = record10(3, 255, 0, 51);
  rec[1 + 33] = 0; // R plane, row 1 col 1
  const { images, labels, n } = parseCifarBinary(rec, 'cifar10');
  assert.equal(n, 1);
  assert.deepEqual(Array.from(labels), [3]);
  assert.deepEqual(Array.from(images.subarray(0, 3)), [1, 0, Math.fround(51 / 255)]);
  assert.equal(images[33 * 3], 0);
  assert.equal(images[33 * 3 + 2], Math.fround(51 / 255));
});

test('CIFAR-100 record: coarse and fine label bytes', () => {
  const rec = new Uint8Array(2 + 3072);
  rec[0] = 4;
  rec[1] = 72;
  assert.deepEqual(Array.from(parseCifarBinary(rec, 'cifar100').labels), [72]);
  assert.deepEqual(Array.from(parseCifarBinary(rec, 'cifar100', 'x', true).labels), [4]);
  assert.throws(() => parseCifarBinary(rec.subarray(1), 'cifar100', 'bad.bin'), /bad\.bin: .*not a whole number of cifar100 records/);
});

test('loads the official folder layout with 90/10 train/val split and class names', async () => {
  const root = mkdtempSync(join(tmpdir(), 'cifar-'));
  const dir = join(root, 'cifar-10-batches-bin');
  mkdirSync(dir);
  for (let b = 1; b <= 5; b++) {
    const recs = Array.from({ length: 4 }, (_, i) => record10((b + i) % 10, b, i, 0));
    writeFileSync(join(dir, `data_batch_${b}.bin`), Buffer.concat(recs));
  }
  writeFileSync(join(dir, 'test_batch.bin'), Buffer.concat([record10(9, 1, 2, 3), record10(0, 4, 5, 6)]));
  writeFileSync(join(dir, 'batches.meta.txt'), 'airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n');
  const trainval = await loadCifar('cifar10', 'trainval', root);
  assert.equal(trainval.n, 20);
  assert.equal(trainval.images[0], Math.fround(1 / 255));
  const train = await loadCifar('cifar10', 'train', root);
  const val = await loadCifar('cifar10', 'val', root);
  assert.deepEqual([train.n, val.n], [18, 2]);
  const t = await loadCifar('cifar10', 'test', root);
  assert.deepEqual(Array.from(t.labels), [9, 0]);
  assert.equal(t.classNames[9], 'truck');
  assert.deepEqual([t.height, t.width, t.channels], [32, 32, 3]);
  await assert.rejects(loadCifar('cifar100', 'test', root), /no cifar100 binary files/);
});
