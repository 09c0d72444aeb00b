import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeIdx } from '../../src/datasets/idx.js';
import { loadFashionMnist, locateFashionMnist, FASHION_MNIST_FILES, FASHION_MNIST_DEBIAN_DIR } from '../../src/datasets/fashionMnist.js';
import { DownloadError } from '../../src/datasets/download.js';

/** Writes a miniature Fashion-MNIST (n train, m test images of 28×28) in the official file names. */
function writeMini(dir: string, n = 20, m = 5): void {
  mkdirSync(dir, { recursive: true });
  const img = (k: number) => encodeIdx('uint8', [k, 28, 28], Array.from({ length: k * 784 }, (_, i) => (i * 7) % 256));
  const lab = (k: number) => encodeIdx('uint8', [k], Array.from({ length: k }, (_, i) => i % 10));
  writeFileSync(join(dir, FASHION_MNIST_FILES.trainImages.file), gzipSync(img(n)));
  writeFileSync(join(dir, FASHION_MNIST_FILES.trainLabels.file), gzipSync(lab(n)));
  writeFileSync(join(dir, FASHION_MNIST_FILES.testImages.file), gzipSync(img(m)));
  writeFileSync(join(dir, FASHION_MNIST_FILES.testLabels.file), gzipSync(lab(m)));
}

test('search order: user path first, then the listed folders; undefined when nothing', async () => {
  const a = mkdtempSync(join(tmpdir(), 'fm-a-'));
  const b = mkdtempSync(join(tmpdir(), 'fm-b-'));
  writeMini(a);
  writeMini(b);
  assert.deepEqual(await locateFashionMnist({ path: b, searchDirs: [a] }), { dir: b, source: 'user' });
  assert.deepEqual(await locateFashionMnist({ searchDirs: [a, b] }), { dir: a, source: 'data-dir' });
  assert.equal(await locateFashionMnist({ searchDirs: [join(a, 'nothing')] }), undefined);
  await assert.rejects(loadFashionMnist('test', { searchDirs: [join(a, 'nothing')] }), /Fashion-MNIST not found.*apt-get install dataset-fashion-mnist/);
});

test('splits of a miniature copy: trainval 20 → train 18 / val 2, test 5, values in [0,1]', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'fm-'));
  writeMini(dir);
  const train = await loadFashionMnist('train', { path: dir });
  const val = await loadFashionMnist('val', { path: dir });
  const testSet = await loadFashionMnist('test', { path: dir });
  assert.deepEqual([train.n, val.n, testSet.n], [18, 2, 5]);
  assert.equal(train.height, 28);
  assert.equal(train.classNames[9], 'Ankle boot');
  assert.equal(testSet.images[1], Math.fround(7 / 255));
  assert.deepEqual(Array.from(testSet.labels), [0, 1, 2, 3, 4]);
});

test('download: checksum verified against a 127.0.0.1 server; mismatch and offline give clear errors', async () => {
  const src = mkdtempSync(join(tmpdir(), 'fm-src-'));
  writeMini(src);
  const { readFileSync } = await import('node:fs');
  const server = createServer((req, res) => {
    const name = (req.url ?? '').split('/').pop()!;
    const path = join(src, name);
    if (!existsSync(path)) {
      res.statusCode = 404;
      res.end();
      return;
    }
    res.end(readFileSync(path));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const dest = join(mkdtempSync(join(tmpdir(), 'fm-dst-')), 'fashion-mnist');
    // Our miniature files are not the official ones, so the official checksums must reject them.
    await assert.rejects(
      locateFashionMnist({ searchDirs: [dest], download: true, baseUrl: `http://127.0.0.1:${port}/` }),
      (e: unknown) => e instanceof DownloadError && /sha256 mismatch/.test(e.message),
    );
    assert.equal(existsSync(join(dest, FASHION_MNIST_FILES.trainImages.file)), false, 'nothing written on mismatch');
  } finally {
    server.close();
  }
  const dest = join(mkdtempSync(join(tmpdir(), 'fm-off-')), 'fm');
  // Port 9 on 127.0.0.1 refuses connections: what a user sees when offline.
  await assert.rejects(
    locateFashionMnist({ searchDirs: [dest], download: true, baseUrl: 'http://127.0.0.1:9/' }),
    (e: unknown) => e instanceof DownloadError && /cannot download http:\/\/127\.0\.0\.1:9\/train-images-idx3-ubyte\.gz .*offline.*dataset-fashion-mnist/.test(e.message),
  );
});

test("Debian's copy (when installed) has the official content", { skip: !existsSync(join(FASHION_MNIST_DEBIAN_DIR, 't10k-labels-idx1-ubyte.gz')) }, async () => {
  const ds = await loadFashionMnist('test', { path: FASHION_MNIST_DEBIAN_DIR, verify: true });
  assert.equal(ds.n, 10000);
  const counts = new Array(10).fill(0);
  for (const l of ds.labels) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(1000));
});
