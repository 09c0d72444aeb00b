import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Field, Float32, Int32, Int64, makeData, Schema, Table, tableFromIPC, tableToIPC } from 'apache-arrow';
import { decodeFeatureCache, openFeatureCache, openFeatureCacheBytes, readFeatureCache } from '../../src/cache/reader.js';
import { writeFeatureCache } from '../../src/cache/writer.js';
import { encodeFooter, decodeFooter } from '../../src/cache/ipc.js';
import { batchOf, cacheLikeTable, int32Data, KEY, listData, metaJson } from './arrowFixtures.js';
import { tempDir } from './tmpdir.js';

const dir = tempDir();
const d = 6;
const n = 11;
const features = new Float32Array(n * d).map((_, k) => k / 8 - 3);
const labels = new Int32Array(n).map((_, i) => i % 4);
const index = new Int32Array(n).map((_, i) => 1000 - i);
const good = join(dir, 'good.arrow');
await writeFeatureCache(good, { features: { data: features, n, d }, labels, index }, { modelId: 'r', classNames: ['a', 'b', 'c', 'd'] }, { batchRows: 4 });
const goodBytes = readFileSync(good);

function variant(name: string, bytes: Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

test('rows(start, end) reads any range across batch boundaries; batches() and labels() agree', async () => {
  const cache = await openFeatureCache(good);
  assert.equal(cache.n, n);
  assert.equal(cache.d, d);
  assert.equal(cache.numBatches, 3);
  for (const [a, b] of [[0, n], [3, 9], [4, 8], [5, 6], [10, 11], [7, 7]]) {
    const r = await cache.rows(a, b);
    assert.deepEqual(r.features, { data: features.slice(a * d, b * d), n: b - a, d });
    assert.deepEqual(r.labels, labels.slice(a, b));
    assert.deepEqual(r.index, index.slice(a, b));
  }
  const starts: number[] = [];
  for await (const chunk of cache.batches()) {
    starts.push(chunk.start);
    assert.deepEqual(chunk.features.data, features.slice(chunk.start * d, (chunk.start + chunk.features.n) * d));
  }
  assert.deepEqual(starts, [0, 4, 8]);
  assert.deepEqual(await cache.labels(), labels);
  assert.deepEqual(await cache.index(), index);
  await assert.rejects(cache.rows(5, 12), /rows\(5, 12\) outside \[0, 11\]/);
  await cache.close();
});

test('in memory, a single aligned batch is returned as a view without copying', async () => {
  const bytes = readFileSync(join(dir, 'one.arrow').replace('one', 'good')); // multi-batch: copies
  const multi = await decodeFeatureCache(bytes);
  assert.notEqual(multi.features.data.buffer, bytes.buffer);
  const single = join(dir, 'single.arrow');
  await writeFeatureCache(single, { features: { data: features, n, d }, labels, index }, {});
  const raw = new Uint8Array(readFileSync(single));
  const cache = await openFeatureCacheBytes(raw, 'single');
  const r = await cache.rows(2, 9);
  assert.equal(r.features.data.buffer, raw.buffer, 'features are a view of the file bytes');
  assert.deepEqual(Array.from(r.features.data), Array.from(features.slice(2 * d, 9 * d)));
  assert.equal(r.labels.buffer, raw.buffer);
});

test('our file reads with apache-arrow tableFromIPC with identical values and metadata', () => {
  const t = tableFromIPC(goodBytes);
  assert.equal(t.numRows, n);
  assert.deepEqual(t.schema.fields.map((f) => [f.name, String(f.type), f.nullable]), [
    ['features', 'FixedSizeList[6]<Float32>', false],
    ['label', 'Int32', false],
    ['index', 'Int32', false],
  ]);
  const flat = new Float32Array(n * d);
  const col = t.getChild('features')!;
  for (let i = 0; i < n; i++) flat.set(col.get(i)!.toArray(), i * d);
  assert.deepEqual(flat, features);
  assert.deepEqual(t.getChild('label')!.toArray(), labels);
  assert.deepEqual(t.getChild('index')!.toArray(), index);
  const meta = JSON.parse(t.schema.metadata.get(KEY)!);
  assert.equal(meta.n, n);
  assert.equal(meta.modelId, 'r');
});

test("a file written by apache-arrow's own tableToIPC(table, 'file') with our schema reads back", async () => {
  const { table, features: f, labels: l, index: x } = cacheLikeTable(5, [3, 4, 2]);
  const path = variant('arrowjs.arrow', tableToIPC(table, 'file'));
  const data = await readFeatureCache(path);
  assert.deepEqual(data.features, { data: f, n: 9, d: 5 });
  assert.deepEqual(data.labels, l);
  assert.deepEqual(data.index, x);
  assert.equal(data.meta.modelId, 'arrow-js');
  const lazy = await openFeatureCache(path);
  assert.deepEqual((await lazy.rows(2, 8)).features.data, f.slice(10, 40));
  await lazy.close();
});

test('not an Arrow file, a stream, a missing file: errors name the file', async () => {
  await assert.rejects(readFeatureCache(variant('text.arrow', new TextEncoder().encode('hello, this is not arrow at all'))), /text\.arrow: not an Arrow IPC file \(the first bytes are not the ARROW1 magic\)/);
  const { table } = cacheLikeTable(2, [2]);
  await assert.rejects(readFeatureCache(variant('stream.arrow', tableToIPC(table, 'stream'))), /stream\.arrow: is an Arrow IPC stream, not an Arrow IPC file/);
  await assert.rejects(readFeatureCache(join(dir, 'absent.arrow')), /absent\.arrow: no such file/);
  await assert.rejects(readFeatureCache(dir), /is a directory/);
});

test('truncated files fail with the file name and "truncated"', async () => {
  for (const len of [goodBytes.length - 1, Math.floor(goodBytes.length / 2), 200, 12]) {
    await assert.rejects(readFeatureCache(variant(`cut${len}.arrow`, goodBytes.subarray(0, len))), (err: Error) => {
      assert.match(err.message, new RegExp(`cut${len}\\.arrow: truncated`));
      return true;
    });
  }
  await assert.rejects(readFeatureCache(variant('cut3.arrow', goodBytes.subarray(0, 3))), /cut3\.arrow: not an Arrow IPC file/);
});

function footerStart(bytes: Uint8Array): number {
  const len = new DataView(bytes.buffer, bytes.byteOffset).getInt32(bytes.length - 10, true);
  return bytes.length - 10 - len;
}

test('corrupted footers and batches fail with "corrupted" and where', async () => {
  const badLen = new Uint8Array(goodBytes);
  new DataView(badLen.buffer).setInt32(badLen.length - 10, 1 << 30, true);
  await assert.rejects(readFeatureCache(variant('badlen.arrow', badLen)), /badlen\.arrow: corrupted footer: footer length 1073741824 does not fit/);

  const garbage = new Uint8Array(goodBytes);
  garbage.fill(0xab, footerStart(garbage), garbage.length - 10);
  await assert.rejects(readFeatureCache(variant('garbage.arrow', garbage)), /garbage\.arrow: corrupted footer: cannot decode it/);

  // A footer whose block points past the data region.
  const fs = footerStart(goodBytes);
  const { schema } = decodeFooter(goodBytes.subarray(fs, goodBytes.length - 10));
  const footer = encodeFooter(schema, [{ offset: fs - 16, metaDataLength: 200, bodyLength: 64 }]);
  const moved = Buffer.concat([goodBytes.subarray(0, fs), footer, Buffer.from(Int32Array.of(footer.length).buffer), Buffer.from('ARROW1')]);
  await assert.rejects(readFeatureCache(variant('block.arrow', moved)), /block\.arrow: corrupted footer: record batch 0 claims bytes \[\d+, \d+\) outside the data region/);

  // Scribble over the first record batch's message flatbuffer.
  const { blocks } = decodeFooter(goodBytes.subarray(fs, goodBytes.length - 10));
  const scribbled = new Uint8Array(goodBytes);
  scribbled.fill(0x7f, blocks[0].offset + 8, blocks[0].offset + blocks[0].metaDataLength);
  await assert.rejects(readFeatureCache(variant('scribbled.arrow', scribbled)), /scribbled\.arrow: corrupted record batch 0/);
});

function tableWith(schemaFields: Field[], columns: any[], rows: number, json: string) {
  const schema = new Schema(schemaFields, new Map([[KEY, json]]));
  return tableToIPC(new Table(schema, [batchOf(schema, columns, rows)]), 'file');
}

test('wrong schema, list size, version and n are reported', async () => {
  const f = new Float32Array(2 * 3);
  const ints = int32Data(new Int32Array(2));
  const list = () => listData(3, 2, f);
  const listField = (size = 3) => new Field('features', listData(size, 2, new Float32Array(2 * size)).type, false);
  const labelF = new Field('label', new Int32(), false);
  const indexF = new Field('index', new Int32(), false);

  const missing = tableWith([listField(), labelF], [list(), ints], 2, metaJson(2, 3));
  await assert.rejects(readFeatureCache(variant('missing.arrow', missing)), /missing\.arrow: wrong schema: missing column 'index'/);

  const int64 = makeData({ type: new Int64(), length: 2, nullCount: 0, data: new BigInt64Array(2) as any });
  const wide = tableWith([listField(), new Field('label', new Int64(), false), indexF], [list(), int64, ints], 2, metaJson(2, 3));
  await assert.rejects(readFeatureCache(variant('int64.arrow', wide)), /int64\.arrow: wrong schema: column 'label' has type Int64; expected Int32/);

  const flat = makeData({ type: new Float32(), length: 2, nullCount: 0, data: new Float32Array(2) });
  const plain = tableWith([new Field('features', new Float32(), false), labelF, indexF], [flat, ints, ints], 2, metaJson(2, 3));
  await assert.rejects(readFeatureCache(variant('plain.arrow', plain)), /plain\.arrow: wrong schema: column 'features' has type Float32; expected FixedSizeList<Float32>\[d\]/);

  const size = tableWith([listField(), labelF, indexF], [list(), ints, ints], 2, metaJson(2, 4));
  await assert.rejects(readFeatureCache(variant('size.arrow', size)), /size\.arrow: metadata d=4 but the 'features' column has list size 3/);

  const noVersion = tableWith([listField(), labelF, indexF], [list(), ints, ints], 2, JSON.stringify({ n: 2, d: 3 }));
  await assert.rejects(readFeatureCache(variant('noversion.arrow', noVersion)), /noversion\.arrow: cache metadata has no formatVersion \(expected 1\)/);

  const v9 = tableWith([listField(), labelF, indexF], [list(), ints, ints], 2, metaJson(2, 3, { formatVersion: 9 }));
  await assert.rejects(readFeatureCache(variant('v9.arrow', v9)), /v9\.arrow: unsupported cache formatVersion 9/);

  const noMeta = tableToIPC(new Table(new Schema([listField(), labelF, indexF]), [batchOf(new Schema([listField(), labelF, indexF]), [list(), ints, ints], 2)]), 'file');
  await assert.rejects(readFeatureCache(variant('nometa.arrow', noMeta)), /nometa\.arrow: missing schema metadata key 'diffused_redundancy'/);

  const wrongN = tableWith([listField(), labelF, indexF], [list(), ints, ints], 2, metaJson(5, 3));
  await assert.rejects(readFeatureCache(variant('wrongn.arrow', wrongN)), /wrongn\.arrow: metadata n=5 but the record batches hold 2 rows/);
});

test('a header whose n disagrees with the footer is reported', async () => {
  const text = goodBytes.toString('latin1');
  const at = text.indexOf('{"formatVersion":1,"n":11 ');
  assert.ok(at > 0 && at < 400, 'header metadata near the start');
  const patched = new Uint8Array(goodBytes);
  patched.set(new TextEncoder().encode('99'), at + '{"formatVersion":1,"n":'.length);
  await assert.rejects(readFeatureCache(variant('header.arrow', patched)), /header\.arrow: header metadata says n=99, d=6 but the footer says n=11, d=6/);
});

test('a file truncated after it was opened fails with a short-read error naming it', async () => {
  const path = variant('shrinking.arrow', goodBytes);
  const cache = await openFeatureCache(path);
  const { truncateSync } = await import('node:fs');
  truncateSync(path, 300);
  await assert.rejects(cache.rows(0, n), /shrinking\.arrow: short read: got \d+ of \d+ bytes at offset \d+/);
  await cache.close();
});
