import { open, type FileHandle } from 'node:fs/promises';
import { FileFormatError } from '../util/errors.js';

/** Random-access bytes: a file on disk (read on demand) or a buffer already in memory. */
export interface ByteSource {
  /** Name used in error messages (the file path). */
  readonly name: string;
  readonly size: number;
  /** Fills `target` with the bytes at [position, position + target.length). */
  readInto(position: number, target: Uint8Array): Promise<void>;
  /** A view of the bytes without copying, when the source is in memory; undefined for files. */
  view(position: number, length: number): Uint8Array | undefined;
  close(): Promise<void>;
}

/** Reads `length` bytes at `position` into a new array. */
export async function readBytes(source: ByteSource, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await source.readInto(position, out);
  return out;
}

class FileSource implements ByteSource {
  constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  async readInto(position: number, target: Uint8Array): Promise<void> {
    if (position < 0 || position + target.byteLength > this.size) {
      throw new FileFormatError(this.name, `truncated or corrupted: needs bytes [${position}, ${position + target.byteLength}) but the file has ${this.size}`);
    }
    let done = 0;
    // Node reads at most 2 GiB per call; large matrices are read in slices straight into place.
    const maxChunk = 1 << 30;
    while (done < target.byteLength) {
      const len = Math.min(maxChunk, target.byteLength - done);
      const { bytesRead } = await this.handle.read(target, done, len, position + done);
      if (bytesRead <= 0) {
        throw new FileFormatError(this.name, `short read: got ${done} of ${target.byteLength} bytes at offset ${position} (file changed or truncated while reading?)`);
      }
      done += bytesRead;
    }
  }

  view(): undefined {
    return undefined;
  }

  close(): Promise<void> {
    return this.handle.close();
  }
}

class MemorySource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}

  get size(): number {
    return this.bytes.byteLength;
  }

  async readInto(position: number, target: Uint8Array): Promise<void> {
    const v = this.view(position, target.byteLength);
    target.set(v);
  }

  view(position: number, length: number): Uint8Array {
    if (position < 0 || position + length > this.bytes.byteLength) {
      throw new FileFormatError(this.name, `truncated or corrupted: needs bytes [${position}, ${position + length}) but the buffer has ${this.bytes.byteLength}`);
    }
    return this.bytes.subarray(position, position + length);
  }

  async close(): Promise<void> {}
}

/** Opens `path` for random access. A missing file is reported with its path. */
export async function openFileSource(path: string): Promise<ByteSource> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err: any) {
    if (err?.code === 'ENOENT') throw new FileFormatError(path, 'no such file');
    if (err?.code === 'EISDIR') throw new FileFormatError(path, 'is a directory, expected an Arrow feature cache file');
    throw err;
  }
  try {
    const st = await handle.stat();
    if (st.isDirectory()) throw new FileFormatError(path, 'is a directory, expected an Arrow feature cache file');
    return new FileSource(path, st.size, handle);
  } catch (err) {
    await handle.close();
    throw err;
  }
}

/** Wraps bytes already in memory (e.g. the output of apache-arrow's `tableToIPC`). */
export function memorySource(bytes: Uint8Array, name = '<memory>'): ByteSource {
  return new MemorySource(name, bytes);
}
