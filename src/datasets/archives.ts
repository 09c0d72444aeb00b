import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { downloadVerified } from './download.js';
import { extractTar } from './tar.js';
import { CIFAR_DOWNLOADS } from './cifar.js';
import { FLOWERS102_DOWNLOADS } from './flowers102.js';
import { OXFORD_PETS_DOWNLOADS } from './oxfordPets.js';

/** One file of a dataset's official distribution. */
export interface ArchiveFile {
  file: string;
  url: string;
  md5: string;
  /** Unpack (tar / tar.gz) into the dataset folder after verification. */
  extract: boolean;
}

/** The official files of the datasets that have a downloader. */
export const DATASET_ARCHIVES: Record<'cifar10' | 'cifar100' | 'flowers102' | 'oxford-pets', ArchiveFile[]> = {
  cifar10: [{ file: 'cifar-10-binary.tar.gz', url: CIFAR_DOWNLOADS.cifar10.url, md5: CIFAR_DOWNLOADS.cifar10.md5, extract: true }],
  cifar100: [{ file: 'cifar-100-binary.tar.gz', url: CIFAR_DOWNLOADS.cifar100.url, md5: CIFAR_DOWNLOADS.cifar100.md5, extract: true }],
  flowers102: FLOWERS102_DOWNLOADS.map((f) => ({ ...f })),
  'oxford-pets': OXFORD_PETS_DOWNLOADS.map((f) => ({ ...f })),
};

/**
 * Downloads a dataset's official files into `root` (checksum-verified before they are
 * written, atomically) and unpacks the archives there. `files` overrides the list (tests
 * serve fixtures from 127.0.0.1). Files already present are not fetched again.
 */
export async function downloadDatasetArchives(
  name: keyof typeof DATASET_ARCHIVES,
  root: string,
  opts: { files?: ArchiveFile[]; log?: (line: string) => void } = {},
): Promise<void> {
  for (const f of opts.files ?? DATASET_ARCHIVES[name]) {
    const dest = join(root, f.file);
    if (!existsSync(dest)) {
      await downloadVerified(f.url, dest, { md5: f.md5 }, { log: opts.log, manualHint: `download ${f.url} by hand into ${root}/` });
    }
    if (f.extract) await extractTar(new Uint8Array(await readFile(dest)), root, dest);
  }
}
