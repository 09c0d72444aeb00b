import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../util/paths.js';
import { UsageError, FileFormatError } from '../util/errors.js';
import { readIdxFile } from './idx.js';
import { downloadVerified, verifyChecksum, type ExpectedChecksum } from './download.js';
import { readFile } from 'node:fs/promises';
import { bytesToUnitFloats, selectImages, type DatasetSplit, type ImageDataset } from './types.js';
import { trainValSplit } from './splits.js';

/** Fashion-MNIST class names, in label order. */
export const FASHION_MNIST_CLASSES = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

/** Official download location (Zalando Research). */
export const FASHION_MNIST_URL = 'http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/';

/** Where Debian's `dataset-fashion-mnist` package installs the files (`dpkg -L dataset-fashion-mnist`). */
export const FASHION_MNIST_DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * The four files and the sha256 of their decompressed content (the IDX bytes), so both the
 * official .gz files and Debian's re-compressed copies verify.
 */
export const FASHION_MNIST_FILES: Record<string, { file: string; checksum: ExpectedChecksum }> = {
  trainImages: { file: 'train-images-idx3-ubyte.gz', checksum: { of: 'gunzipped', sha256: 'c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888' } },
  trainLabels: { file: 'train-labels-idx1-ubyte.gz', checksum: { of: 'gunzipped', sha256: 'bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9' } },
  testImages: { file: 't10k-images-idx3-ubyte.gz', checksum: { of: 'gunzipped', sha256: '5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b' } },
  testLabels: { file: 't10k-labels-idx1-ubyte.gz', checksum: { of: 'gunzipped', sha256: '0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34' } },
};

/** A folder holding the four Fashion-MNIST files and how it was found. */
export interface FashionMnistLocation {
  dir: string;
  source: 'user' | 'data-dir' | 'debian' | 'downloaded';
}

/** Options for finding Fashion-MNIST. */
export interface FashionMnistOptions {
  /** A folder the user gives; searched first. */
  path?: string;
  /** Download into `data/datasets/fashion-mnist/` when no copy is found (default false). */
  download?: boolean;
  /** Base URL for the download (tests point it at 127.0.0.1). */
  baseUrl?: string;
  /** Folders searched after `path` (default: data/datasets/fashion-mnist, then Debian's). */
  searchDirs?: string[];
  log?: (line: string) => void;
}

function hasAllFiles(dir: string): boolean {
  return Object.values(FASHION_MNIST_FILES).every((f) => existsSync(join(dir, f.file)) || existsSync(join(dir, f.file.replace(/\.gz$/, ''))));
}

/** The default search list after a user path: the project's data folder, then Debian's. */
export function fashionMnistSearchDirs(): string[] {
  return [join(dataDir(), 'datasets', 'fashion-mnist'), FASHION_MNIST_DEBIAN_DIR];
}

/**
 * Finds Fashion-MNIST: the user's path, `data/datasets/fashion-mnist/`, Debian's
 * `dataset-fashion-mnist` folder; else (with `download`) fetches the official files with
 * checksum verification. Returns undefined when nothing is found and download is off.
 */
export async function locateFashionMnist(opts: FashionMnistOptions = {}): Promise<FashionMnistLocation | undefined> {
  if (opts.path !== undefined) {
    if (!hasAllFiles(opts.path)) {
      throw new UsageError(`${opts.path}: expected the Fashion-MNIST files ${Object.values(FASHION_MNIST_FILES).map((f) => f.file).join(', ')} (gzipped or not)`);
    }
    return { dir: opts.path, source: 'user' };
  }
  const dirs = opts.searchDirs ?? fashionMnistSearchDirs();
  for (const [i, dir] of dirs.entries()) {
    if (hasAllFiles(dir)) return { dir, source: dir === FASHION_MNIST_DEBIAN_DIR ? 'debian' : i === 0 ? 'data-dir' : 'user' };
  }
  if (!opts.download) return undefined;
  const dest = dirs[0] ?? join(dataDir(), 'datasets', 'fashion-mnist');
  await downloadFashionMnist(dest, opts.baseUrl ?? FASHION_MNIST_URL, opts.log);
  return { dir: dest, source: 'downloaded' };
}

/** Downloads the four files into `dest`, each checked against its sha256. */
export async function downloadFashionMnist(dest: string, baseUrl = FASHION_MNIST_URL, log?: (line: string) => void): Promise<void> {
  for (const { file, checksum } of Object.values(FASHION_MNIST_FILES)) {
    if (existsSync(join(dest, file))) continue;
    await downloadVerified(new URL(file, baseUrl).href, join(dest, file), checksum, {
      log,
      manualHint: `install Debian's package (apt-get install dataset-fashion-mnist) or put the four files from ${FASHION_MNIST_URL} into ${dest}`,
    });
  }
}

async function readPart(dir: string, key: keyof typeof FASHION_MNIST_FILES, verify: boolean) {
  const { file, checksum } = FASHION_MNIST_FILES[key];
  const path = existsSync(join(dir, file)) ? join(dir, file) : join(dir, file.replace(/\.gz$/, ''));
  if (verify) verifyChecksum(new Uint8Array(await readFile(path)), checksum, path);
  return { path, idx: await readIdxFile(path) };
}

/**
 * Loads a Fashion-MNIST split as 28×28×1 floats in [0, 1]. `train`/`val` are the paper's
 * 90/10 split of the 60,000 training images (seed 0); `trainval` is all 60,000; `test` the
 * official 10,000. Throws a UsageError explaining where to put the files when none is found.
 */
export async function loadFashionMnist(split: DatasetSplit, opts: FashionMnistOptions & { verify?: boolean } = {}): Promise<ImageDataset> {
  const loc = await locateFashionMnist(opts);
  if (!loc) {
    throw new UsageError(
      `Fashion-MNIST not found (searched ${[opts.path, ...(opts.searchDirs ?? fashionMnistSearchDirs())].filter(Boolean).join(', ')}); ` +
        `run 'apt-get install dataset-fashion-mnist', or put the files into data/datasets/fashion-mnist/, or pass download: true / --download`,
    );
  }
  const isTest = split === 'test';
  const images = await readPart(loc.dir, isTest ? 'testImages' : 'trainImages', opts.verify ?? false);
  const labels = await readPart(loc.dir, isTest ? 'testLabels' : 'trainLabels', opts.verify ?? false);
  const [n, h, w] = images.idx.dims;
  if (images.idx.dims.length !== 3 || images.idx.type !== 'uint8') throw new FileFormatError(images.path, `expected uint8 images n×28×28, got ${images.idx.type} [${images.idx.dims.join('×')}]`);
  if (labels.idx.dims[0] !== n) throw new FileFormatError(labels.path, `has ${labels.idx.dims[0]} labels for ${n} images`);
  const all: ImageDataset = {
    id: `fashion-mnist/${isTest ? 'test' : 'trainval'}`,
    images: bytesToUnitFloats(images.idx.data as Uint8Array),
    labels: Int32Array.from(labels.idx.data as Uint8Array),
    n, height: h, width: w, channels: 1,
    classNames: FASHION_MNIST_CLASSES.slice(),
    source: loc.dir,
  };
  if (split === 'test' || split === 'trainval') return all;
  const s = trainValSplit(n, 0.1, 0);
  return selectImages(all, split === 'train' ? s.train : s.val, `fashion-mnist/${split}`);
}
