import { gunzipSync } from 'node:zlib';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, normalize, isAbsolute } from 'node:path';
import { FileFormatError } from '../util/errors.js';
import { isGzip } from './idx.js';

/** One regular file of a tar archive. */
export interface TarEntry {
  path: string;
  data: Uint8Array;
}

function field(block: Uint8Array, start: number, len: number): string {
  const raw = block.subarray(start, start + len);
  const end = raw.indexOf(0);
  return Buffer.from(end < 0 ? raw : raw.subarray(0, end)).toString('utf8');
}

/**
 * Lists the regular files of a (optionally gzipped) POSIX ustar / GNU tar archive, as the
 * dataset archives (CIFAR, Flowers102, Pets) are. GNU long names (type L) are honoured.
 */
export function readTar(input: Uint8Array, file = '<buffer>'): TarEntry[] {
  const bytes = isGzip(input) ? new Uint8Array(gunzipSync(input)) : input;
  const out: TarEntry[] = [];
  let pos = 0;
  let longName: string | undefined;
  while (pos + 512 <= bytes.length) {
    const block = bytes.subarray(pos, pos + 512);
    if (block.every((b) => b === 0)) break;
    const sizeText = field(block, 124, 12).trim();
    const size = parseInt(sizeText || '0', 8);
    if (!Number.isFinite(size)) throw new FileFormatError(file, `bad tar size field at offset ${pos}`);
    const type = String.fromCharCode(block[156] || 48);
    const prefix = field(block, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(block, 0, 100)}` : field(block, 0, 100));
    longName = undefined;
    const data = bytes.subarray(pos + 512, pos + 512 + size);
    if (type === 'L') longName = field(data, 0, size);
    else if (type === '0' || type === '\0') out.push({ path: name, data });
    pos += 512 + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Writes a tar archive's files under `dest`, refusing paths that would escape it. */
export async function extractTar(input: Uint8Array, dest: string, file = '<buffer>'): Promise<number> {
  const entries = readTar(input, file);
  for (const e of entries) {
    const rel = normalize(e.path);
    if (isAbsolute(rel) || rel.startsWith('..')) throw new FileFormatError(file, `refusing to extract ${e.path} outside ${dest}`);
    const target = join(dest, rel);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, e.data);
  }
  return entries.length;
}

