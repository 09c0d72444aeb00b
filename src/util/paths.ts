import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The package's root folder (the one holding its package.json), found by walking up from
 * this compiled file, so code and tests work from `dist/` or any other build folder.
 * @example
 * ```ts
 * const notebooks = join(packageRoot(), 'notebooks');
 * ```
 */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('diffused-redundancy: cannot find the package root above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

/**
 * `data/` under the package root (or `$DR_DATA_DIR`).
 * @example
 * ```ts
 * const cacheFolder = join(dataDir(), 'cache');
 * ```
 */
export function dataDir(): string {
  return process.env.DR_DATA_DIR ?? join(packageRoot(), 'data');
}
