// The one atomic writer of the package: every file is written under a temporary name next to
// its target and renamed onto it only when complete, so a reader never sees a half-written file.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ensureDir, fileError } from './fsErrors.js';

/** Temporary files being written by this process (absolute or as given), removed on SIGINT/SIGTERM/exit. */
const liveTemps = new Set<string>();

function removeLiveTemps(): void {
  for (const t of liveTemps) {
    try {
      rmSync(t, { force: true });
    } catch {
      // best effort while exiting
    }
  }
  liveTemps.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  removeLiveTemps();
  // Re-raise with the default action so the exit status says which signal ended the process.
  signalHandlers = false;
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.kill(process.pid, signal);
}

let exitHook = false;
let signalHandlers = false;

// Signal handlers are installed only while a temporary file exists: a JS handler replaces the
// default action, so a process busy in synchronous work would otherwise not stop on SIGTERM
// until it next yields to the event loop. A program with its own handlers keeps control.
function updateHandlers(): void {
  if (!exitHook) {
    exitHook = true;
    process.on('exit', removeLiveTemps);
  }
  if (liveTemps.size > 0 && !signalHandlers) {
    if (process.listenerCount('SIGINT') === 0 && process.listenerCount('SIGTERM') === 0) {
      signalHandlers = true;
      process.on('SIGINT', onSignal);
      process.on('SIGTERM', onSignal);
    }
  } else if (liveTemps.size === 0 && signalHandlers) {
    signalHandlers = false;
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
  }
}

/** Registers `tempPath` for removal if the process is interrupted before {@link releaseTemp}. */
export function trackTemp(tempPath: string): void {
  liveTemps.add(tempPath);
  updateHandlers();
}

/** Stops tracking `tempPath` (it was renamed or removed). */
export function releaseTemp(tempPath: string): void {
  liveTemps.delete(tempPath);
  updateHandlers();
}

/** Temporary files this process is writing right now (for tests). */
export function liveTempFiles(): string[] {
  return [...liveTemps];
}

/** Fresh temporary name `<target>.<pid>.<12 hex>.tmp` in the target's folder. */
export function tempPathFor(path: string): string {
  return join(dirname(path), `${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** True when a process with this id exists (it may belong to another user). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err: any) {
    return err?.code === 'EPERM';
  }
}

/**
 * Removes temporary files of `path` left by processes that no longer run: names
 * `<target>.<pid>.<hex>.tmp` (this writer) and `<target>.tmp-<pid>-<ms>` (an older writer of the
 * package) whose pid is not alive. Returns the removed paths. Files of live processes are kept.
 */
export function sweepStaleTemps(path: string): string[] {
  const dir = dirname(path);
  const base = escapeRegExp(basename(path));
  const patterns = [new RegExp(`^${base}\\.(\\d+)\\.[0-9a-f]+\\.tmp$`), new RegExp(`^${base}\\.tmp-(\\d+)-\\d+$`)];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    for (const re of patterns) {
      const m = re.exec(name);
      if (!m) continue;
      const pid = Number(m[1]);
      if (pid === process.pid || processAlive(pid)) continue;
      const full = join(dir, name);
      try {
        rmSync(full, { force: true });
        removed.push(full);
      } catch {
        // another process may be sweeping the same file
      }
    }
  }
  return removed;
}

/**
 * A file being written under a temporary name `<file>.<pid>.<random>.tmp` in the target's own
 * folder (so the final rename is atomic on one file system). `commit()` fsyncs and renames it
 * onto the target; `discard()` removes it. Readers therefore only ever see complete files.
 * The temporary file is removed on SIGINT/SIGTERM and process exit; creating one first sweeps
 * stale temporary files of the same target left by dead processes. Errors name the target.
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
    if (!path || path.endsWith('/')) throw fileError(path, 'is not a file name');
    ensureDir(dirname(path));
    sweepStaleTemps(path);
    const tempPath = tempPathFor(path);
    // Tracked before it exists: the file appears while `open` is still pending, and a SIGTERM in
    // that window (seen in the fault-injection test) would otherwise leave it behind.
    trackTemp(tempPath);
    let handle: FileHandle;
    try {
      handle = await open(tempPath, 'wx');
    } catch (err) {
      releaseTemp(tempPath);
      throw fileError(path, 'cannot create a temporary file next to it', err);
    }
    return new AtomicFile(path, tempPath, handle);
  }

  /** Writes all of `bytes` at `position` (loops over short writes). */
  async writeAt(bytes: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < bytes.byteLength) {
      let bytesWritten: number;
      try {
        ({ bytesWritten } = await this.handle.write(bytes, done, bytes.byteLength - done, position + done));
      } catch (err) {
        throw fileError(this.path, 'cannot write', err);
      }
      if (bytesWritten <= 0) throw fileError(this.path, `write returned ${bytesWritten}`);
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
      throw fileError(this.path, 'cannot finish writing', err);
    } finally {
      releaseTemp(this.tempPath);
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
      releaseTemp(this.tempPath);
    }
  }
}

function toBytes(data: Uint8Array | string): Uint8Array {
  return typeof data === 'string' ? new TextEncoder().encode(data) : data;
}

/**
 * Writes `data` (bytes, or a string as UTF-8) to `path` atomically: into a temporary file in
 * the same folder (created if missing), fsynced, then renamed onto `path`. On any failure the
 * temporary file is removed and `path` keeps its previous content (or stays absent).
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const file = await AtomicFile.create(path);
  try {
    await file.writeAt(toBytes(data), 0);
  } catch (err) {
    await file.discard();
    throw err;
  }
  await file.commit();
}

/** {@link writeFileAtomic} for synchronous callers (same temporary names, sweep and cleanup). */
export function writeFileAtomicSync(path: string, data: Uint8Array | string): void {
  if (!path || path.endsWith('/')) throw fileError(path, 'is not a file name');
  ensureDir(dirname(path));
  sweepStaleTemps(path);
  const tempPath = tempPathFor(path);
  const bytes = toBytes(data);
  let fd: number | undefined;
  trackTemp(tempPath);
  try {
    fd = openSync(tempPath, 'wx');
    let done = 0;
    while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tempPath, path);
  } catch (err) {
    if (fd !== undefined) closeSync(fd);
    rmSync(tempPath, { force: true });
    throw fileError(path, 'cannot write', err);
  } finally {
    releaseTemp(tempPath);
  }
}
