import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { UsageError } from '../util/errors.js';

/**
 * Checks an output prefix (`PREFIX.features.npy` …): it needs a file stem, so it may not be empty,
 * end in a path separator or name an existing folder (which would write hidden `.features.npy` files).
 */
export function checkOutputPrefix(flag: string, prefix: string): void {
  let isDir = false;
  try {
    isDir = statSync(prefix).isDirectory();
  } catch {
    // does not exist: fine
  }
  if (!prefix || /[\\/]$/.test(prefix) || basename(prefix) === '.' || basename(prefix) === '..' || isDir) {
    throw new UsageError(`--${flag}: '${prefix}' is a folder, not a file prefix; give e.g. ${prefix && !prefix.endsWith('/') ? `${prefix}/` : prefix || 'out/'}features (writes features.features.npy …)`);
  }
}
