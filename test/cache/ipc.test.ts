import { test } from 'node:test';
import assert from 'node:assert/strict';
import { align8, cacheBodyLayout, decodeFooter, encodeFooter, frameMessage, unframeMessage } from '../../src/cache/ipc.js';
import { featureCacheSchema } from '../../src/cache/schema.js';

test('align8 and the body layout keep every buffer 8-byte aligned', () => {
  assert.deepEqual([0, 1, 7, 8, 9].map(align8), [0, 8, 8, 8, 16]);
  const l = cacheBodyLayout(3, 5); // 60 feature bytes, 12 label bytes, 12 index bytes
  assert.deepEqual(l, { rows: 3, featuresOffset: 0, featuresLength: 60, labelsOffset: 64, indexOffset: 80, bodyLength: 96 });
});

test('frameMessage writes the continuation token and padded length; unframeMessage reverses it', () => {
  const framed = frameMessage(Uint8Array.of(1, 2, 3));
  assert.equal(framed.length, 16);
  const v = new DataView(framed.buffer);
  assert.equal(v.getInt32(0, true), -1);
  assert.equal(v.getInt32(4, true), 8);
  assert.deepEqual(Array.from(unframeMessage(framed) as Uint8Array).slice(0, 3), [1, 2, 3]);
  assert.match(unframeMessage(new Uint8Array(4)) as string, /too short/);
});

test('footer encode/decode round-trips schema and blocks', () => {
  const blocks = [{ offset: 120, metaDataLength: 200, bodyLength: 64 }, { offset: 384, metaDataLength: 200, bodyLength: 128 }];
  const f = decodeFooter(encodeFooter(featureCacheSchema(4, '{"a":1}'), blocks));
  assert.deepEqual(f.blocks, blocks);
  assert.equal(f.numDictionaries, 0);
  assert.equal(f.schema.metadata.get('diffused_redundancy'), '{"a":1}');
});
