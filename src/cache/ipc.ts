// Low-level pieces of the Arrow IPC file format (https://arrow.apache.org/docs/format/Columnar.html#ipc-file-format)
// for the one fixed feature-cache schema. The flatbuffer encoding/decoding of messages and the
// footer is apache-arrow's own; this module only lays out bytes around them, so the cache can
// stream record batches straight from caller arrays to disk and read them straight into a
// preallocated matrix.
import { MetadataVersion, type Schema } from 'apache-arrow';
import { BufferRegion, FieldNode, Message, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import { FileBlock, Footer } from 'apache-arrow/ipc/metadata/file';

/** `ARROW1` followed by two padding bytes: the first 8 bytes of every Arrow IPC file. */
export const FILE_HEAD = Uint8Array.of(0x41, 0x52, 0x52, 0x4f, 0x57, 0x31, 0, 0);
/** `ARROW1`: the last 6 bytes of every Arrow IPC file. */
export const MAGIC = FILE_HEAD.subarray(0, 6);
/** The end-of-stream marker written before the footer (continuation token, zero length). */
export const EOS = new Uint8Array(Int32Array.of(-1, 0).buffer);
/** Bytes after the footer flatbuffer: int32 footer length + magic. */
export const TAIL_BYTES = 10;

/** Rounds up to a multiple of 8, the alignment Arrow requires for messages and buffers. */
export function align8(n: number): number {
  return (n + 7) & ~7;
}

/**
 * Frames a flatbuffer message as the IPC format wants it: 0xFFFFFFFF continuation token,
 * int32 length of flatbuffer + padding, the flatbuffer, zero padding to a multiple of 8.
 */
export function frameMessage(flatbuffer: Uint8Array): Uint8Array {
  const total = align8(8 + flatbuffer.byteLength);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setInt32(0, -1, true);
  view.setInt32(4, total - 8, true);
  out.set(flatbuffer, 8);
  return out;
}

/** The framed schema message (what follows the 8-byte file head). */
export function encodeSchemaMessage(schema: Schema): Uint8Array {
  return frameMessage(Message.encode(Message.from(schema)));
}

/** Byte offsets, inside one record batch body, of the three data buffers of a cache batch. */
export interface CacheBodyLayout {
  rows: number;
  featuresOffset: number;
  featuresLength: number;
  labelsOffset: number;
  indexOffset: number;
  /** Total body length (padded). */
  bodyLength: number;
}

/** Body layout of a batch of `rows` rows and `d` neurons: features, labels, index, each 8-aligned, no validity bitmaps. */
export function cacheBodyLayout(rows: number, d: number): CacheBodyLayout {
  const featuresLength = rows * d * 4;
  const labelsOffset = align8(featuresLength);
  const indexOffset = labelsOffset + align8(rows * 4);
  return { rows, featuresOffset: 0, featuresLength, labelsOffset, indexOffset, bodyLength: indexOffset + align8(rows * 4) };
}

/**
 * The framed RecordBatch message for a cache batch: field nodes for features, features.item,
 * label, index (no nulls) and seven buffers (empty validity bitmap before each data buffer).
 */
export function encodeCacheBatchMessage(layout: CacheBodyLayout, d: number): Uint8Array {
  const { rows } = layout;
  const nodes = [new FieldNode(rows, 0), new FieldNode(rows * d, 0), new FieldNode(rows, 0), new FieldNode(rows, 0)];
  const buffers = [
    new BufferRegion(0, 0),
    new BufferRegion(0, 0),
    new BufferRegion(layout.featuresOffset, layout.featuresLength),
    new BufferRegion(layout.labelsOffset, 0),
    new BufferRegion(layout.labelsOffset, rows * 4),
    new BufferRegion(layout.indexOffset, 0),
    new BufferRegion(layout.indexOffset, rows * 4),
  ];
  const header = new RecordBatchHeader(rows, nodes, buffers, null);
  return frameMessage(Message.encode(Message.from(header, layout.bodyLength)));
}

/** One entry of the footer's record-batch index. */
export interface BlockInfo {
  /** File offset of the framed message. */
  offset: number;
  /** Length of the framed message (prefix + flatbuffer + padding). */
  metaDataLength: number;
  bodyLength: number;
}

/** Encodes the footer flatbuffer (schema repeated, V5, record-batch blocks, no dictionaries). */
export function encodeFooter(schema: Schema, blocks: readonly BlockInfo[]): Uint8Array {
  const fileBlocks = blocks.map((b) => new FileBlock(b.metaDataLength, b.bodyLength, b.offset));
  return Footer.encode(new Footer(schema, MetadataVersion.V5, fileBlocks, []));
}

/** Decoded footer: the schema and the record-batch blocks. Throws whatever the flatbuffer decoder throws. */
export function decodeFooter(bytes: Uint8Array): { schema: Schema; blocks: BlockInfo[]; numDictionaries: number } {
  const footer = Footer.decode(bytes);
  const blocks: BlockInfo[] = [];
  for (const b of footer.recordBatches()) blocks.push({ offset: Number(b.offset), metaDataLength: b.metaDataLength, bodyLength: Number(b.bodyLength) });
  return { schema: footer.schema, blocks, numDictionaries: footer.numDictionaries };
}

/**
 * Strips the length prefix of a framed message (with or without the 0xFFFFFFFF continuation
 * token of the pre-0.15 format) and returns the flatbuffer bytes, or a reason it is malformed.
 */
export function unframeMessage(framed: Uint8Array): Uint8Array | string {
  if (framed.byteLength < 8) return `message frame of ${framed.byteLength} bytes is too short`;
  const view = new DataView(framed.buffer, framed.byteOffset, framed.byteLength);
  let start = 4;
  let len = view.getInt32(0, true);
  if (len === -1) {
    len = view.getInt32(4, true);
    start = 8;
  }
  if (len <= 0 || start + len > framed.byteLength) return `message length ${len} does not fit the ${framed.byteLength}-byte block`;
  return framed.subarray(start, start + len);
}

export { Message };
