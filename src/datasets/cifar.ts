import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FileFormatError, UsageError } from '../util/errors.js';
import { trainValSplit } from './splits.js';
import { selectImages, type DatasetSplit, type ImageDataset } from './types.js';

/** Which CIFAR: 10 classes (1 label byte per record) or 100 (coarse + fine label bytes). */
export type CifarVariant = 'cifar10' | 'cifar100';

const PIXELS = 32 * 32 * 3;

/**
 * Parses CIFAR binary records: CIFAR-10 `<label><3072 bytes>`, CIFAR-100
 * `<coarse><fine><3072 bytes>`; pixels are stored channel-planar (1024 R, 1024 G, 1024 B),
 * row-major. Returns NHWC floats in [0, 1] (n×32×32×3) and labels (fine labels for CIFAR-100,
 * or coarse with `coarse: true`).
 */
export function parseCifarBinary(bytes: Uint8Array, variant: CifarVariant, file = '<buffer>', coarse = false): { images: Float32Array; labels: Int32Array; n: number } {
  const labelBytes = variant === 'cifar10' ? 1 : 2;
  const record = labelBytes + PIXELS;
  if (bytes.length % record !== 0) {
    throw new FileFormatError(file, `${bytes.length} bytes is not a whole number of ${variant} records (${record} bytes each)`);
  }
  const n = bytes.length / record;
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  for (let r = 0; r < n; r++) {
    const base = r * record;
    labels[r] = variant === 'cifar10' ? bytes[base] : bytes[base + (coarse ? 0 : 1)];
    const px = base + labelBytes;
    const out = r * PIXELS;
    for (let p = 0; p < 1024; p++) {
      images[out + 3 * p] = bytes[px + p] / 255;
      images[out + 3 * p + 1] = bytes[px + 1024 + p] / 255;
      images[out + 3 * p + 2] = bytes[px + 2048 + p] / 255;
    }
  }
  return { images, labels, n };
}

/** File layout of the official binary archives once extracted. */
export const CIFAR_FILES = {
  cifar10: { folder: 'cifar-10-batches-bin', train: ['data_batch_1.bin', 'data_batch_2.bin', 'data_batch_3.bin', 'data_batch_4.bin', 'data_batch_5.bin'], test: ['test_batch.bin'], names: 'batches.meta.txt' },
  cifar100: { folder: 'cifar-100-binary', train: ['train.bin'], test: ['test.bin'], names: 'fine_label_names.txt' },
} as const;

/** Official archives (University of Toronto) with their published MD5 sums. */
export const CIFAR_DOWNLOADS = {
  cifar10: { url: 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz', md5: 'c32a1d4ab5d03f1284b67883e8d87530' },
  cifar100: { url: 'https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz', md5: '03b5dce01913d631647c71ecec9e9cb8' },
} as const;

/** Finds the extracted batches folder under `root` (either root itself or root/<official folder>). */
export function cifarFolder(root: string, variant: CifarVariant): string | undefined {
  const f = CIFAR_FILES[variant];
  const tests: readonly string[] = f.test;
  for (const dir of [root, join(root, f.folder)]) if (tests.every((t) => existsSync(join(dir, t)))) return dir;
  return undefined;
}

/**
 * Loads a CIFAR split from the official binary files under `root`. `train`/`val` are the
 * paper's 45,000/5,000 split of the 50,000 training images (seed 0), `trainval` all of them.
 */
export async function loadCifar(variant: CifarVariant, split: DatasetSplit, root: string): Promise<ImageDataset> {
  const dir = cifarFolder(root, variant);
  const f = CIFAR_FILES[variant];
  if (!dir) throw new UsageError(`${root}: no ${variant} binary files found (expected ${[...f.test].join(', ')} in it or in ${f.folder}/)`);
  const files: readonly string[] = split === 'test' ? f.test : f.train;
  const parts = [];
  for (const name of files) {
    const path = join(dir, name);
    if (!existsSync(path)) throw new UsageError(`${path}: missing ${variant} file`);
    parts.push(parseCifarBinary(new Uint8Array(await readFile(path)), variant, path));
  }
  const n = parts.reduce((a, p) => a + p.n, 0);
  const images = new Float32Array(n * PIXELS);
  const labels = new Int32Array(n);
  let o = 0;
  for (const p of parts) {
    images.set(p.images, o * PIXELS);
    labels.set(p.labels, o);
    o += p.n;
  }
  const namesPath = join(dir, f.names);
  const classCount = variant === 'cifar10' ? 10 : 100;
  let classNames = Array.from({ length: classCount }, (_, i) => String(i));
  if (existsSync(namesPath)) {
    const lines = (await readFile(namesPath, 'utf8')).split(/\r?\n/).map((s) => s.trim()).filter(Boolean);
    if (lines.length >= classCount) classNames = lines.slice(0, classCount);
  }
  const all: ImageDataset = { id: `${variant}/${split === 'test' ? 'test' : 'trainval'}`, images, labels, n, height: 32, width: 32, channels: 3, classNames, source: dir };
  if (split === 'test' || split === 'trainval') return all;
  const s = trainValSplit(n, 0.1, 0);
  return selectImages(all, split === 'train' ? s.train : s.val, `${variant}/${split}`);
}
