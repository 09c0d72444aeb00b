import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import vm from 'node:vm';
import { FileFormatError, UsageError } from '../util/errors.js';
import { packageRoot } from '../util/paths.js';
import type { TfjsModelJson } from './tfjsFiles.js';

/** The npm package version whose bundled models the catalogue's checksums describe. */
export const NSFWJS_VERSION = '4.4.0';

/**
 * The weight bytes of one nsfwjs weight bundle (`dist/models/<m>/group1-shardKofN.min.js`): a
 * browserify module whose export is one base64 string. The string is taken with one regular
 * expression and decoded with Buffer's native base64 (≈ 0.1 s for 4 MB), not the package's own
 * per-character decoder. Throws a FileFormatError naming `file` when the string is absent or
 * cut short (a truncated bundle loses its closing quote), or its length is not a multiple of 4.
 */
export function decodeWeightBundle(text: string, file: string): Uint8Array {
  const m = /exports\s*=\s*"([A-Za-z0-9+/=]*)"/.exec(text);
  if (!m) throw new FileFormatError(file, 'not an nsfwjs weight bundle or truncated (expected `exports="<base64>"` closed by a quote)');
  if (m[1].length % 4 !== 0) throw new FileFormatError(file, `base64 string of ${m[1].length} characters is not a multiple of 4 (truncated)`);
  const buf = Buffer.from(m[1], 'base64');
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * The model.json object inside an nsfwjs `model.min.js` bundle. The bundle is a minified
 * JavaScript object literal (not JSON), so it is evaluated in an empty `vm` context that has
 * only `module`/`exports` (no require, no globals, 5 s limit); callers check the file's sha256
 * against the catalogue before evaluating it. Throws a FileFormatError naming `file` when the
 * bundle does not run or does not export a TF.js model.json.
 */
export function decodeModelBundle(text: string, file: string): TfjsModelJson {
  const module = { exports: {} as any };
  try {
    vm.runInNewContext(text, { module, exports: module.exports }, { timeout: 5000, filename: file });
  } catch (err: any) {
    throw new FileFormatError(file, `not a runnable nsfwjs model bundle or truncated (${err?.message ?? err})`);
  }
  const json = JSON.parse(JSON.stringify(module.exports ?? null));
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new FileFormatError(file, 'the bundle does not export a TF.js model.json (expected modelTopology and weightsManifest)');
  }
  return json as TfjsModelJson;
}

/**
 * Folders where an installed `nsfwjs` package is looked for, in order: `$DR_NSFWJS_DIR`, then
 * `node_modules/nsfwjs` under the current folder and under this package's root. The package's
 * `exports` map hides its package.json from `require.resolve`, so it is found by path.
 */
export function nsfwjsPackageDirs(): string[] {
  const dirs: string[] = [];
  if (process.env.DR_NSFWJS_DIR) dirs.push(process.env.DR_NSFWJS_DIR);
  dirs.push(join(process.cwd(), 'node_modules', 'nsfwjs'), join(packageRoot(), 'node_modules', 'nsfwjs'));
  return [...new Set(dirs)];
}

/** The first of {@link nsfwjsPackageDirs} holding `dist/models/`, with its version; undefined when none. */
export async function findNsfwjsPackage(): Promise<{ dir: string; version: string } | undefined> {
  for (const dir of nsfwjsPackageDirs()) {
    if (!existsSync(join(dir, 'dist', 'models'))) continue;
    let version = 'unknown';
    try {
      version = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')).version ?? 'unknown';
    } catch {
      // A copied dist/ without package.json still decodes; the checksums decide.
    }
    return { dir, version };
  }
  return undefined;
}

/** Reads a bundle file, throwing a UsageError naming `what` when it is missing. */
export async function readBundleFile(file: string, what: string): Promise<string> {
  if (!existsSync(file)) throw new UsageError(`${what}: ${file} is missing (nsfwjs@${NSFWJS_VERSION} dist/models/ expected)`);
  return readFile(file, 'utf8');
}
