// One writer per output file: an advisory lock file next to it.
import { linkSync, mkdirSync, readFileSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { processAlive, releaseTemp, tempPathFor, trackTemp } from './atomicWrite.js';
import { ensureDir, fileError } from './fsErrors.js';
import { dirname } from 'node:path';

/** What a lock file holds (JSON). */
export interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

/** A held lock; `release()` removes the lock file (also done on process exit). */
export interface HeldLock {
  path: string;
  release(): void;
}

/** Options of {@link acquireLock}. */
export interface AcquireLockOptions {
  /** Give up after this many seconds of waiting (default: wait as long as the holder lives). */
  timeoutSeconds?: number;
  /** Poll interval in milliseconds (default 200). */
  pollMs?: number;
  /** Told once when the lock is busy (default: a line on stderr). */
  onWait?: (holder: LockInfo | undefined, lockPath: string) => void;
}

function readLock(path: string): LockInfo | undefined {
  try {
    const v = JSON.parse(readFileSync(path, 'utf8'));
    if (typeof v?.pid === 'number') return v as LockInfo;
  } catch {
    // missing or being written
  }
  return undefined;
}

const held = new Set<string>();
let exitHook = false;

/**
 * Removes the lock at `lockPath` if it names a process of this host that no longer runs. The
 * removal is serialised by a `<lock>.break` folder so two processes breaking the same stale lock
 * cannot remove a fresh lock taken in between. Returns true when a stale lock was removed.
 */
function breakIfStale(lockPath: string): boolean {
  const breaker = `${lockPath}.break`;
  try {
    mkdirSync(breaker);
  } catch {
    // Another process is breaking it; a breaker left by a dead process is cleared after 10 s.
    try {
      if (Date.now() - statSync(breaker).mtimeMs > 10_000) rmdirSync(breaker);
    } catch {
      // gone already
    }
    return false;
  }
  try {
    const info = readLock(lockPath);
    if (info && info.host === hostname() && !processAlive(info.pid)) {
      rmSync(lockPath, { force: true });
      return true;
    }
    return false;
  } finally {
    rmdirSync(breaker);
  }
}

/**
 * Takes the advisory lock `<target>.lock` (JSON {pid, host, startedAt}, created atomically by a
 * hard link, so exactly one process holds it). A lock of a dead process on this host is stale and
 * removed; a live holder is waited for (polling), reported once through `onWait`. Throws naming
 * the lock file and its holder when `timeoutSeconds` pass. The lock is removed by `release()`
 * and on process exit; SIGKILL leaves it behind, and the next writer then finds it stale.
 */
export async function acquireLock(target: string, opts: AcquireLockOptions = {}): Promise<HeldLock> {
  const lockPath = `${target}.lock`;
  ensureDir(dirname(lockPath));
  const info: LockInfo = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
  const temp = tempPathFor(lockPath);
  trackTemp(temp);
  try {
    writeFileSync(temp, `${JSON.stringify(info)}\n`);
  } catch (err) {
    releaseTemp(temp);
    throw fileError(lockPath, 'cannot create the lock file', err);
  }
  const started = Date.now();
  let told = false;
  try {
    for (;;) {
      try {
        linkSync(temp, lockPath);
        break;
      } catch (err: any) {
        if (err?.code !== 'EEXIST') throw fileError(lockPath, 'cannot create the lock file', err);
      }
      const holder = readLock(lockPath);
      if (holder && breakIfStale(lockPath)) continue;
      if (opts.timeoutSeconds !== undefined && (Date.now() - started) / 1000 >= opts.timeoutSeconds) {
        throw fileError(lockPath, `is held by ${holder ? `PID ${holder.pid} on ${holder.host} since ${holder.startedAt}` : 'another process'}; another run writes ${target} (delete the lock file if that process is gone)`);
      }
      if (!told) {
        told = true;
        (opts.onWait ?? ((h, p) => process.stderr.write(`waiting: ${target} is being written by ${h ? `PID ${h.pid} on ${h.host}` : 'another process'} (lock ${p})\n`)))(holder, lockPath);
      }
      await new Promise((r) => setTimeout(r, opts.pollMs ?? 200));
    }
  } finally {
    rmSync(temp, { force: true });
    releaseTemp(temp);
  }
  held.add(lockPath);
  if (!exitHook) {
    exitHook = true;
    process.on('exit', () => { for (const l of held) rmSync(l, { force: true }); });
  }
  return {
    path: lockPath,
    release() {
      if (!held.delete(lockPath)) return;
      if (readLock(lockPath)?.pid === process.pid) rmSync(lockPath, { force: true });
    },
  };
}
