import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { FileFormatError, UsageError } from '../util/errors.js';
import { parseMatV5 } from './matV5.js';
import { readImageFile, toTensorImage } from './imageFile.js';
import type { DatasetSplit, ImageDataset } from './types.js';

/** Official files (Visual Geometry Group, Oxford) with their published MD5 sums. */
export const FLOWERS102_DOWNLOADS = [
  { file: '102flowers.tgz', url: 'https://www.robots.ox.ac.uk/~vgg/data/flowers/102/102flowers.tgz', md5: '52808999861908f626f3c1f4e79d11fa', extract: true },
  { file: 'imagelabels.mat', url: 'https://www.robots.ox.ac.uk/~vgg/data/flowers/102/imagelabels.mat', md5: 'e0620be6f572b9609742df49c70aed4d', extract: false },
  { file: 'setid.mat', url: 'https://www.robots.ox.ac.uk/~vgg/data/flowers/102/setid.mat', md5: 'a5357ecc9cb78c4bef273ce3793fc85c', extract: false },
] as const;

/** True when `root` has the official layout: jpg/, imagelabels.mat, setid.mat. */
export function flowers102Present(root: string): boolean {
  return existsSync(join(root, 'jpg')) && existsSync(join(root, 'imagelabels.mat')) && existsSync(join(root, 'setid.mat'));
}

/** Image options for image-folder datasets: output side length and channel count. */
export interface ImageFolderOptions {
  size: number;
  channels: 1 | 3;
}

/**
 * Loads Flowers102 from the official layout: `jpg/image_00001.jpg …`, `imagelabels.mat`
 * (`labels`, 1..102 per image) and `setid.mat` (`trnid`, `valid`, `tstid`: 1-based image ids).
 * Splits are the official ones (train 1,020 / val 1,020 / test 6,149); `trainval` = both.
 * Images are resized (shorter side) and centre-cropped to size×size.
 */
export async function loadFlowers102(split: DatasetSplit, root: string, opts: ImageFolderOptions): Promise<ImageDataset> {
  if (!flowers102Present(root)) throw new UsageError(`${root}: expected Flowers102's jpg/, imagelabels.mat and setid.mat`);
  const labelsPath = join(root, 'imagelabels.mat');
  const setPath = join(root, 'setid.mat');
  const labelMat = parseMatV5(new Uint8Array(await readFile(labelsPath)), labelsPath).labels;
  if (!labelMat) throw new FileFormatError(labelsPath, "no variable 'labels'");
  const sets = parseMatV5(new Uint8Array(await readFile(setPath)), setPath);
  const pick = (k: string) => {
    const v = sets[k];
    if (!v) throw new FileFormatError(setPath, `no variable '${k}'`);
    return Array.from(v.values);
  };
  const ids = split === 'train' ? pick('trnid') : split === 'val' ? pick('valid') : split === 'test' ? pick('tstid') : [...pick('trnid'), ...pick('valid')];
  const size = opts.size * opts.size * opts.channels;
  const images = new Float32Array(ids.length * size);
  const labels = new Int32Array(ids.length);
  for (const [i, id] of ids.entries()) {
    if (id < 1 || id > labelMat.values.length) throw new FileFormatError(setPath, `image id ${id} outside 1..${labelMat.values.length}`);
    const img = await readImageFile(join(root, 'jpg', `image_${String(id).padStart(5, '0')}.jpg`));
    images.set(toTensorImage(img, opts.size, opts.channels), i * size);
    labels[i] = labelMat.values[id - 1] - 1;
  }
  return {
    id: `flowers102/${split}`, images, labels, n: ids.length, height: opts.size, width: opts.size, channels: opts.channels,
    classNames: Array.from({ length: 102 }, (_, c) => `flower ${c + 1}`), source: root,
  };
}
