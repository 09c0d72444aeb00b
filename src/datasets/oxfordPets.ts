import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError, UsageError } from '../util/errors.js';
import { readImageFile, toTensorImage } from './imageFile.js';
import { trainValSplit } from './splits.js';
import { selectImages, type DatasetSplit, type ImageDataset } from './types.js';
import type { ImageFolderOptions } from './flowers102.js';

/** Official archives (Visual Geometry Group, Oxford) with their published MD5 sums. */
export const OXFORD_PETS_DOWNLOADS = [
  { file: 'images.tar.gz', url: 'https://www.robots.ox.ac.uk/~vgg/data/pets/data/images.tar.gz', md5: '5c4f3ee8e5d25df40f4fd59a7f44e54c', extract: true },
  { file: 'annotations.tar.gz', url: 'https://www.robots.ox.ac.uk/~vgg/data/pets/data/annotations.tar.gz', md5: '95a8c909bbe2e81eed6a22bccdf3f68f', extract: true },
] as const;

/** True when `root` has the official layout: images/ and annotations/{trainval,test}.txt. */
export function oxfordPetsPresent(root: string): boolean {
  return existsSync(join(root, 'images')) && existsSync(join(root, 'annotations', 'trainval.txt')) && existsSync(join(root, 'annotations', 'test.txt'));
}

/**
 * Parses an annotation list (`Abyssinian_100 1 1 1`: image name, class id 1..37, species,
 * breed id; `#` lines are comments). Returns names and 0-based class ids.
 */
export function parsePetsList(text: string, file = '<text>'): { names: string[]; labels: number[] } {
  const names: string[] = [];
  const labels: number[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    if (!line.trim() || line.startsWith('#')) continue;
    const [name, cls] = line.trim().split(/\s+/);
    const c = Number(cls);
    if (!name || !Number.isInteger(c) || c < 1) throw new FileFormatError(file, `line ${i + 1}: expected '<image> <class 1..37> <species> <breed>'`);
    names.push(name);
    labels.push(c - 1);
  }
  return { names, labels };
}

/** Breed name of an image name: everything before the last underscore (`Abyssinian_100` → `Abyssinian`). */
export function petsBreed(imageName: string): string {
  return imageName.slice(0, imageName.lastIndexOf('_'));
}

/**
 * Loads Oxford-IIIT Pets (37 breeds) from the official layout. `test` is the official test
 * list; `train`/`val` are the paper's 90/10 split of `trainval` (3,312 / 368, seed 0).
 */
export async function loadOxfordPets(split: DatasetSplit, root: string, opts: ImageFolderOptions): Promise<ImageDataset> {
  if (!oxfordPetsPresent(root)) throw new UsageError(`${root}: expected Oxford-IIIT Pets' images/ and annotations/trainval.txt, test.txt`);
  const listPath = join(root, 'annotations', split === 'test' ? 'test.txt' : 'trainval.txt');
  const list = parsePetsList(await readFile(listPath, 'utf8'), listPath);
  const classNames: string[] = [];
  list.names.forEach((n, i) => (classNames[list.labels[i]] ??= petsBreed(n)));
  const size = opts.size * opts.size * opts.channels;
  const images = new Float32Array(list.names.length * size);
  for (const [i, name] of list.names.entries()) {
    const img = await readImageFile(join(root, 'images', `${name}.jpg`));
    images.set(toTensorImage(img, opts.size, opts.channels), i * size);
  }
  const names = Array.from({ length: Math.max(37, classNames.length) }, (_, c) => classNames[c] ?? `class ${c + 1}`);
  const all: ImageDataset = {
    id: `oxford-pets/${split === 'test' ? 'test' : 'trainval'}`, images, labels: Int32Array.from(list.labels), n: list.names.length,
    height: opts.size, width: opts.size, channels: opts.channels, classNames: names, source: root,
  };
  if (split === 'test' || split === 'trainval') return all;
  const s = trainValSplit(all.n, 0.1, 0);
  return selectImages(all, split === 'train' ? s.train : s.val, `oxford-pets/${split}`);
}
