// File-system helpers whose errors always name the file.
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { FileAccessError } from './errors.js';

const REASONS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'read-only file system',
  EEXIST: 'already exists',
};

/**
 * A {@link FileAccessError} for `file`: `<file>: <what> (<reason>)`, the reason taken from the
 * system error `cause` when given (its code in words, e.g. ENOSPC → no space left on the device).
 */
export function fileError(file: string, what: string, cause?: unknown): FileAccessError {
  if (cause instanceof FileAccessError) return cause;
  const code = (cause as { code?: string } | undefined)?.code;
  const reason = code ? `${REASONS[code] ?? (cause as Error).message}${REASONS[code] ? ` [${code}]` : ''}` : cause instanceof Error ? cause.message : '';
  return new FileAccessError(file || "''", reason ? `${what} (${reason})` : what, code);
}

/**
 * Creates folder `dir` and its missing parents, one level at a time (node's recursive mkdir
 * loops forever under /proc). Throws a {@link FileAccessError} naming the folder that cannot be made.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  for (;;) {
    try {
      const st = statSync(at);
      if (!st.isDirectory()) throw new FileAccessError(at, 'is not a folder (needed to hold an output file)', 'ENOTDIR');
      break;
    } catch (err: any) {
      if (err instanceof FileAccessError) throw err;
      if (err?.code !== 'ENOENT') throw fileError(at, 'cannot use this folder', err);
      missing.push(at);
      const up = dirname(at);
      if (up === at) break;
      at = up;
    }
  }
  for (const m of missing.reverse()) {
    try {
      mkdirSync(m);
    } catch (err: any) {
      if (err?.code !== 'EEXIST') throw fileError(m, 'cannot create this folder', err);
    }
  }
}

/** Throws a {@link FileAccessError} unless `file` exists and is a regular file; `flag` names the option it came from. */
export function requireFile(file: string, flag?: string): void {
  let st;
  try {
    st = statSync(file);
  } catch (err) {
    throw fileError(file, flag ? `cannot read the file given to --${flag}` : 'cannot read', err);
  }
  if (!st.isFile()) throw new FileAccessError(file, `${flag ? `(--${flag}) ` : ''}is a folder or special file, expected a file`, 'EISDIR');
}
