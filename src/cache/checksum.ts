// Content checksums of a feature cache's three data buffers, computed while the bytes stream
// past (writing or reading) and stored in the schema metadata.
import { crc32 } from 'node:zlib';

/** Algorithm name stored with the checksums: CRC-32 (ISO-HDLC, as zlib / Python `zlib.crc32`). */
export const CHECKSUM_ALGORITHM = 'crc32';

/** The checksums a cache stores: CRC-32 of each column's data bytes over all rows in order, as 8 hex digits. */
export interface CacheChecksums {
  algorithm: typeof CHECKSUM_ALGORITHM;
  /** Over the n×d little-endian float32 feature values (row-major), without Arrow padding. */
  features: string;
  /** Over the n little-endian int32 labels. */
  labels: string;
  /** Over the n little-endian int32 source-row indices. */
  index: string;
}

function bytesOf(a: Uint8Array | Float32Array | Int32Array): Uint8Array {
  return a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

/** Hex text of a CRC-32 value (8 lower-case digits). */
export function crcHex(value: number): string {
  return (value >>> 0).toString(16).padStart(8, '0');
}

/**
 * Running CRC-32 of one byte stream: `update` with consecutive pieces gives the CRC of their
 * concatenation (so batch boundaries do not matter). Native zlib code, several GB/s.
 */
export class RunningCrc32 {
  private value = 0;
  /** Bytes seen so far. */
  bytes = 0;
  /** Adds the bytes of `data` (any typed array view; its bytes as they are in memory, little-endian here). */
  update(data: Uint8Array | Float32Array | Int32Array): void {
    const b = bytesOf(data);
    if (b.byteLength === 0) return;
    this.value = crc32(b, this.value);
    this.bytes += b.byteLength;
  }
  /** The checksum as 8 hex digits. */
  hex(): string {
    return crcHex(this.value);
  }
}

/** Three running checksums, one per cache column. */
export class CacheChecksummer {
  readonly features = new RunningCrc32();
  readonly labels = new RunningCrc32();
  readonly index = new RunningCrc32();
  /** Adds one batch of rows (features rows×d, labels and index one per row). */
  update(features: Float32Array, labels: Int32Array, index: Int32Array): void {
    this.features.update(features);
    this.labels.update(labels);
    this.index.update(index);
  }
  /** The stored form. */
  result(): CacheChecksums {
    return { algorithm: CHECKSUM_ALGORITHM, features: this.features.hex(), labels: this.labels.hex(), index: this.index.hex() };
  }
}

/** Names of the columns whose checksum differs between `stored` and `computed` (empty when they agree). */
export function checksumMismatches(stored: CacheChecksums, computed: CacheChecksums): Array<'features' | 'labels' | 'index'> {
  return (['features', 'labels', 'index'] as const).filter((k) => stored[k] !== computed[k]);
}

/** True when `value` has the shape of {@link CacheChecksums}. */
export function isCacheChecksums(value: unknown): value is CacheChecksums {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.algorithm === CHECKSUM_ALGORITHM && ['features', 'labels', 'index'].every((k) => typeof v[k] === 'string' && /^[0-9a-f]{8}$/.test(v[k] as string));
}
