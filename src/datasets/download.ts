import { sha256Hex } from '../util/hash.js';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { isGzip } from './idx.js';
import { writeFileAtomic } from '../util/atomicWrite.js';

export { sha256Hex };

/** Raised when a download fails (network, HTTP status or checksum); the message says what to do. */
export class DownloadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** What a downloaded file must hash to: a sha256, or the MD5 a data set's authors publish. */
export interface ExpectedChecksum {
  sha256?: string;
  md5?: string;
  /**
   * `raw`: hash of the bytes as downloaded; `gunzipped`: hash of the decompressed content
   * (robust to re-compression, e.g. Debian repacks the Fashion-MNIST .gz files).
   */
  of?: 'raw' | 'gunzipped';
}

/** Checks bytes against an expected checksum; returns the actual hex digest or throws. */
export function verifyChecksum(bytes: Uint8Array, expected: ExpectedChecksum, what: string): string {
  const payload = expected.of === 'gunzipped' && isGzip(bytes) ? new Uint8Array(gunzipSync(bytes)) : bytes;
  const algorithm = expected.sha256 ? 'sha256' : 'md5';
  const want = (expected.sha256 ?? expected.md5 ?? '').toLowerCase();
  if (!want) throw new Error(`${what}: no checksum given`);
  const actual = createHash(algorithm).update(payload).digest('hex');
  if (actual !== want) {
    throw new DownloadError(`${what}: ${algorithm} mismatch (expected ${want}, got ${actual}); the file is corrupt or not the official one`);
  }
  return actual;
}

/**
 * Downloads `url` to `dest` with node's fetch, verifies the checksum before anything is
 * written, then writes atomically (temp file + rename). Offline or HTTP errors throw a
 * {@link DownloadError} naming the URL and how to provide the file by hand.
 */
export async function downloadVerified(
  url: string,
  dest: string,
  expected: ExpectedChecksum,
  opts: { timeoutMs?: number; manualHint?: string; log?: (line: string) => void } = {},
): Promise<void> {
  const hint = opts.manualHint ?? `download it by hand and place it at ${dest}`;
  let bytes: Uint8Array;
  try {
    opts.log?.(`downloading ${url}`);
    const res = await fetch(url, { signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
    if (!res.ok) throw new DownloadError(`HTTP ${res.status} ${res.statusText}`);
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (e) {
    const reason = e instanceof Error ? (e.cause instanceof Error ? `${e.message}: ${e.cause.message}` : e.message) : String(e);
    throw new DownloadError(`cannot download ${url} (${reason}); this machine may be offline: ${hint}`);
  }
  verifyChecksum(bytes, expected, url);
  await writeFileAtomic(dest, bytes);
}
