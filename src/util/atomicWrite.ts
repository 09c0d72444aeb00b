import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * A file being written under a temporary name `<file>.<pid>.<random>.tmp` in the target's own
 * folder (so the final rename is atomic on one file system). `commit()` fsyncs and renames it
 * onto the target; `discard()` removes it. Readers therefore only ever see complete files.
 */
export class AtomicFile {
  private closed = false;
  private constructor(
    readonly path: string,
    readonly tempPath: string,
    readonly handle: FileHandle,
  ) {}

  /** Creates the folder if needed and opens a fresh temporary file next to `path`. */
  static async create(path: string): Promise<AtomicFile> {
    await mkdir(dirname(path), { recursive: true });
    const tempPath = join(dirname(path), `${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const handle = await open(tempPath, 'wx');
    return new AtomicFile(path, tempPath, handle);
  }

  /** Writes all of `bytes` at `position` (loops over short writes). */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      const { bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done, position + done);
      if (bytesWritten <= 0) throw new Error(`${this.tempPath}: write returned ${bytesWritten}`);
      done += bytesWritten;
    }
  }

  /** Flushes to disk and renames the temporary file onto the target. */
  async commit(): Promise<void> {
    if (this.closed) throw new Error(`${this.path}: already closed`);
    this.closed = true;
    try {
      await this.handle.sync();
      await this.handle.close();
      await rename(this.tempPath, this.path);
    } catch (err) {
      await rm(this.tempPath, { force: true });
      throw err;
    }
  }

  /** Closes and deletes the temporary file; the target is left untouched. Safe to call twice. */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.handle.close();
    } finally {
      await rm(this.tempPath, { force: true });
    }
  }
}

/**
 * Writes `data` (bytes, or a string as UTF-8) to `path` atomically: into a temporary file in
 * the same folder (created if missing), fsynced, then renamed onto `path`. On any failure the
 * temporary file is removed and `path` keeps its previous content (or stays absent).
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const file = await AtomicFile.create(path);
  try {
    await file.writeAt(typeof data === 'string' ? new TextEncoder().encode(data) : data, 0);
  } catch (err) {
    await file.discard();
    throw err;
  }
  await file.commit();
}
