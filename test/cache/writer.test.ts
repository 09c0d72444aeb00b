import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FeatureCacheWriter, writeFeatureCache } from '../../src/cache/writer.js';
import { openFeatureCache, readFeatureCache } from '../../src/cache/reader.js';
import { tempDir } from './tmpdir.js';

const dir = tempDir();

function rows(start: number, count: number, d: number) {
  const features = new Float32Array(count * d);
  const labels = new Int32Array(count);
  const index = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < d; j++) features[i * d + j] = (start + i) * 1000 + j + 0.25;
    labels[i] = (start + i) % 3;
    index[i] = 500 + start + i;
  }
  return { features, labels, index };
}

test('batches of different sizes round-trip exactly, with metadata, n counted at close', async () => {
  const path = join(dir, 'sub', 'a.arrow');
  const d = 5;
  const w = await FeatureCacheWriter.open(path, { modelId: 'm1', layer: 'penultimate', classNames: ['a', 'b', 'c'], extra: { k: 'v' } }, d);
  assert.equal(existsSync(path), false, 'nothing at the final path while writing');
  assert.match(w.tempPath, new RegExp(`a\\.arrow\\.${process.pid}\\.[0-9a-f]{12}\\.tmp$`));
  assert.ok(existsSync(w.tempPath));
  await w.append(rows(0, 3, d));
  await w.append(rows(3, 1, d));
  await w.append({ features: new Float32Array(0), labels: new Int32Array(0) }); // empty: ignored
  await w.append(rows(4, 6, d));
  const meta = await w.close();
  assert.equal(meta.n, 10);
  assert.equal(existsSync(w.tempPath), false);
  const data = await readFeatureCache(path);
  const want = rows(0, 10, d);
  assert.deepEqual(data.features, { data: want.features, n: 10, d });
  assert.deepEqual(data.labels, want.labels);
  assert.deepEqual(data.index, want.index);
  assert.equal(data.meta.modelId, 'm1');
  assert.deepEqual(data.meta.extra, { k: 'v' });
  assert.equal(data.meta.n, 10);
  const cache = await openFeatureCache(path);
  assert.deepEqual(cache.batchRowCounts(), [3, 1, 6]);
  await cache.close();
});

test('the header metadata is patched to the final n and equals the footer metadata byte for byte', async () => {
  const path = join(dir, 'patched.arrow');
  await writeFeatureCache(path, { features: { data: new Float32Array(12), n: 4, d: 3 }, labels: new Int32Array(4) }, { modelId: 'p' }, { batchRows: 3 });
  const text = readFileSync(path).toString('latin1');
  const jsons = text.match(/\{"formatVersion":1,"n":[^]*?"extra":\{\}\}/g) ?? [];
  assert.equal(jsons.length, 2, 'metadata appears in the header schema and in the footer schema');
  assert.equal(jsons[0], jsons[1]);
  assert.equal(JSON.parse(jsons[0]).n, 4);
});

test('index defaults to the running row number; writeFeatureCache accepts async streams', async () => {
  const path = join(dir, 'stream.arrow');
  async function* gen() {
    for (let s = 0; s < 7; s += 3) {
      const r = rows(s, Math.min(3, 7 - s), 2);
      yield { features: r.features, labels: r.labels };
    }
  }
  const meta = await writeFeatureCache(path, gen(), { datasetId: 'ds' });
  assert.equal(meta.n, 7);
  assert.equal(meta.d, 2);
  const data = await readFeatureCache(path);
  assert.deepEqual(Array.from(data.index), [0, 1, 2, 3, 4, 5, 6]);
  assert.deepEqual(data.features.data, rows(0, 7, 2).features);
});

test('an empty cache (n = 0) is valid', async () => {
  const path = join(dir, 'empty.arrow');
  await writeFeatureCache(path, [], { d: 4 });
  const data = await readFeatureCache(path);
  assert.equal(data.features.n, 0);
  assert.equal(data.features.d, 4);
  assert.equal(data.meta.n, 0);
});

test('abort() removes the temp file and leaves no file; a never-closed temp file does not read as valid', async () => {
  const path = join(dir, 'aborted.arrow');
  const w = await FeatureCacheWriter.open(path, {}, 3);
  await w.append(rows(0, 2, 3));
  await w.abort();
  await w.abort(); // idempotent
  assert.equal(existsSync(path), false);
  assert.equal(existsSync(w.tempPath), false);
  await assert.rejects(w.append(rows(0, 1, 3)), /append after the writer was aborted/);

  // Simulate a crash: the writer never closes. Only the .tmp file exists, and it is not readable.
  const crashed = await FeatureCacheWriter.open(join(dir, 'crashed.arrow'), {}, 3);
  await crashed.append(rows(0, 2, 3));
  assert.equal(existsSync(join(dir, 'crashed.arrow')), false);
  await assert.rejects(readFeatureCache(crashed.tempPath), /no ARROW1 magic at the end .* \(an interrupted write\?\)/);
  await crashed.abort();
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
});

test('bad batches are rejected with the path and what was expected', async () => {
  const path = join(dir, 'bad.arrow');
  const w = await FeatureCacheWriter.open(path, {}, 4);
  await assert.rejects(w.append({ features: new Float32Array(7), labels: new Int32Array(2) }), /bad\.arrow: batch has 7 feature values for 2 labels; expected rows×d = 2×4 = 8/);
  await assert.rejects(w.append({ features: new Float32Array(8), labels: new Int32Array(2), index: new Int32Array(3) }), /index must be an Int32Array with one value per row \(2\)/);
  await assert.rejects(w.append({ features: new Float64Array(8) as any, labels: new Int32Array(2) }), /features must be a Float32Array/);
  await w.abort();
  await assert.rejects(FeatureCacheWriter.open(path, {}, 0), /d must be a positive integer/);
  await assert.rejects(writeFeatureCache(path, { features: { data: new Float32Array(6), n: 2, d: 3 }, labels: new Int32Array(3) }), /3 labels for 2 rows/);
  assert.equal(existsSync(path), false);
});

test('a failing stream aborts the write and leaves nothing behind', async () => {
  const path = join(dir, 'failing.arrow');
  async function* gen() {
    yield rows(0, 2, 3);
    throw new Error('model crashed');
  }
  await assert.rejects(writeFeatureCache(path, gen()), /model crashed/);
  assert.equal(existsSync(path), false);
  assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('failing')), []);
});
