import { createHash } from 'node:crypto';

/** SHA-256 of bytes as 64 lower-case hex digits. */
export function sha256Hex(bytes: Uint8Array | ArrayBuffer): string {
  return createHash('sha256').update(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes)).digest('hex');
}
