import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jpeg from 'jpeg-js';
import { encodeMatV5 } from '../../src/datasets/matV5.js';
import { loadFlowers102, flowers102Present } from '../../src/datasets/flowers102.js';
import { loadOxfordPets, parsePetsList, petsBreed } from '../../src/datasets/oxfordPets.js';

function writeJpeg(path: string, r: number, g: number, b: number, w = 12, h = 10): void {
  const rgba = new Uint8Array(w * h * 4);
  for (let i = 0; i < w * h; i++) rgba.set([r, g, b, 255], i * 4);
  writeFileSync(path, jpeg.encode({ data: rgba, width: w, height: h }, 95).data);
}

test('Flowers102 official layout: labels from imagelabels.mat, official split ids from setid.mat', async () => {
  const root = mkdtempSync(join(tmpdir(), 'flowers-'));
  mkdirSync(join(root, 'jpg'));
  const labels = [1, 1, 2, 102, 5, 2];
  labels.forEach((_, i) => writeJpeg(join(root, 'jpg', `image_${String(i + 1).padStart(5, '0')}.jpg`), 20 * i, 0, 0));
  writeFileSync(join(root, 'imagelabels.mat'), encodeMatV5({ labels: { dims: [1, 6], values: Float64Array.from(labels) } }));
  writeFileSync(join(root, 'setid.mat'), encodeMatV5({
    trnid: { dims: [1, 2], values: Float64Array.from([1, 3]) },
    valid: { dims: [1, 2], values: Float64Array.from([2, 4]) },
    tstid: { dims: [1, 2], values: Float64Array.from([5, 6]) },
  }));
  assert.ok(flowers102Present(root));
  const train = await loadFlowers102('train', root, { size: 8, channels: 3 });
  assert.deepEqual(Array.from(train.labels), [0, 1]);
  assert.deepEqual([train.n, train.height, train.width, train.channels], [2, 8, 8, 3]);
  assert.ok(Math.abs(train.images[8 * 8 * 3] - 40 / 255) < 0.03, 'second image is image_00003 (red 40)');
  const val = await loadFlowers102('val', root, { size: 8, channels: 1 });
  assert.deepEqual(Array.from(val.labels), [0, 101]);
  assert.equal(val.images.length, 2 * 64);
  assert.equal((await loadFlowers102('test', root, { size: 4, channels: 3 })).n, 2);
  assert.equal(train.classNames.length, 102);
});

test('Oxford-IIIT Pets layout: annotation lists, breed names, 90/10 train/val of trainval', async () => {
  const root = mkdtempSync(join(tmpdir(), 'pets-'));
  mkdirSync(join(root, 'images'));
  mkdirSync(join(root, 'annotations'));
  const trainval: string[] = ['#Image CLASS-ID SPECIES BREED ID'];
  for (let i = 0; i < 20; i++) {
    const [name, cls] = i % 2 ? [`Abyssinian_${i}`, 1] : [`american_bulldog_${i}`, 2];
    writeJpeg(join(root, 'images', `${name}.jpg`), 0, 10 * i, 0);
    trainval.push(`${name} ${cls} ${cls === 1 ? 1 : 2} 1`);
  }
  writeJpeg(join(root, 'images', 'yorkshire_terrier_1.jpg'), 0, 0, 200);
  writeFileSync(join(root, 'annotations', 'trainval.txt'), trainval.join('\n') + '\n');
  writeFileSync(join(root, 'annotations', 'test.txt'), 'yorkshire_terrier_1 37 2 25\n');
  const opts = { size: 6, channels: 3 as const };
  const train = await loadOxfordPets('train', root, opts);
  const val = await loadOxfordPets('val', root, opts);
  assert.deepEqual([train.n, val.n], [18, 2]);
  assert.deepEqual(train.classNames.slice(0, 2), ['Abyssinian', 'american_bulldog']);
  const t = await loadOxfordPets('test', root, opts);
  assert.deepEqual(Array.from(t.labels), [36]);
  assert.ok(t.images[2] > 0.7, 'blue channel of the terrier image');
  assert.equal(petsBreed('great_pyrenees_12'), 'great_pyrenees');
  assert.throws(() => parsePetsList('x\n', 'list.txt'), /list\.txt: line 1/);
});
