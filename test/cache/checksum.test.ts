import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tableToIPC } from 'apache-arrow';
import { RunningCrc32 } from '../../src/cache/checksum.js';
import { FeatureCacheWriter, writeFeatureCache } from '../../src/cache/writer.js';
import { decodeFeatureCache, openFeatureCache, readFeatureCache } from '../../src/cache/reader.js';
import { exportFeatureCache } from '../../src/cache/exchange.js';
import { SeededRng } from '../../src/util/random.js';
import { cacheLikeTable } from './arrowFixtures.js';
import { tempDir } from './tmpdir.js';

const dir = tempDir();
const n = 37;
const d = 5;
const features = new Float32Array(n * d).map((_, k) => Math.cos(k) * 2);
const labels = new Int32Array(n).map((_, i) => i % 3);
const index = new Int32Array(n).map((_, i) => 3 * i + 1);
const file = join(dir, 'c.arrow');
const meta = await writeFeatureCache(file, { features: { data: features, n, d }, labels, index }, { modelId: 'm', classNames: ['a', 'b', 'c'] }, { batchRows: 8 });

function pythonCrc(bytes: Uint8Array): string {
  const out = execFileSync('/usr/bin/python3', ['-c', 'import sys,zlib; print("%08x" % zlib.crc32(sys.stdin.buffer.read()))'], { input: bytes });
  return out.toString().trim();
}

test('CRC-32 matches Python zlib.crc32 and the standard check value; streaming pieces give the same value', () => {
  const c = new RunningCrc32();
  c.update(new TextEncoder().encode('123456789'));
  assert.equal(c.hex(), 'cbf43926', 'CRC-32/ISO-HDLC check value');
  const whole = new RunningCrc32();
  whole.update(features);
  const parts = new RunningCrc32();
  parts.update(features.subarray(0, 7));
  parts.update(features.subarray(7));
  assert.equal(parts.hex(), whole.hex());
  assert.equal(whole.hex(), pythonCrc(new Uint8Array(features.buffer)));
});

test('the writer stores the checksums of the three columns (independent reference: Python zlib) in header and footer', () => {
  assert.equal(meta.checksums?.algorithm, 'crc32');
  assert.equal(meta.checksums?.features, pythonCrc(new Uint8Array(features.buffer)));
  assert.equal(meta.checksums?.labels, pythonCrc(new Uint8Array(labels.buffer)));
  assert.equal(meta.checksums?.index, pythonCrc(new Uint8Array(index.buffer)));
  const text = readFileSync(file).toString('latin1');
  const stored = JSON.stringify(meta.checksums);
  assert.equal(text.split(stored).length - 1, 2, 'header and footer both carry the checksums');
});

test('20 of 20 seeded random byte flips in the data are rejected by every full read, naming the file and column', async () => {
  const bytes = readFileSync(file);
  const cache = await openFeatureCache(file);
  const layout = (cache as any).locations as Array<{ start: number; rows: number; featuresAt: number; labelsAt: number; indexAt: number }>;
  await cache.close();
  const regions = layout.flatMap((l) => [
    ['features', l.featuresAt, l.rows * d * 4],
    ['labels', l.labelsAt, l.rows * 4],
    ['index', l.indexAt, l.rows * 4],
  ] as const);
  const rng = new SeededRng(12);
  for (let trial = 0; trial < 20; trial++) {
    const [column, at, len] = regions[rng.below(regions.length)];
    const pos = at + rng.below(len);
    const bad = new Uint8Array(bytes);
    // A flip in a label's high byte would also fail the range check; either way the read must fail.
    bad[pos] ^= 1 << rng.below(8);
    const p = join(dir, `flip${trial}.arrow`);
    writeFileSync(p, bad);
    await assert.rejects(readFeatureCache(p), (err: Error) => err.message.startsWith(p) && (err.message.includes(`'${column}'`) || err.message.includes("column 'label'")), `trial ${trial}: flip at ${pos} in ${column}`);
    await assert.rejects(decodeFeatureCache(bad, p), /checksum mismatch|column 'label'/);
    await assert.rejects(exportFeatureCache(p, join(dir, `flip${trial}`)), /checksum mismatch|column 'label'/);
  }
});

test('--no-verify reads a corrupted-feature file as it is; verify() checks without keeping the data', async () => {
  const bytes = new Uint8Array(readFileSync(file));
  const cache = await openFeatureCache(file);
  const at = (cache as any).locations[0].featuresAt as number;
  await cache.verify();
  await cache.close();
  bytes[at + 1] ^= 0x10;
  const p = join(dir, 'noverify.arrow');
  writeFileSync(p, bytes);
  const r = await readFeatureCache(p, { verify: false });
  assert.notEqual(r.features.data[0], features[0]);
  const c2 = await openFeatureCache(p);
  await assert.rejects(c2.verify(), /content checksum mismatch in column 'features'/);
  await c2.close();
});

test('policy for caches without checksums (other tools, older versions): read, values range-checked, one warning', async () => {
  const { table, features: f } = cacheLikeTable(3, [4, 2]);
  const p = join(dir, 'nochecksum.arrow');
  writeFileSync(p, tableToIPC(table, 'file'));
  const lines: string[] = [];
  const orig = process.stderr.write.bind(process.stderr);
  (process.stderr as any).write = (s: string) => { lines.push(String(s)); return true; };
  try {
    const r = await readFeatureCache(p);
    await readFeatureCache(p);
    assert.deepEqual(r.features.data, f);
    assert.equal(r.meta.checksums, null);
  } finally {
    (process.stderr as any).write = orig;
  }
  assert.equal(lines.filter((l) => l.includes(`${p} has no content checksums`)).length, 1);
  // Without checksums a NaN is caught by the value check of the read.
  const { table: t2 } = cacheLikeTable(3, [6]);
  const bytes = tableToIPC(t2, 'file');
  const nan = new Float32Array([NaN]);
  const pat = new Uint8Array(new Float32Array([f[4]]).buffer);
  const at = Buffer.from(bytes).indexOf(Buffer.from(pat));
  bytes.set(new Uint8Array(nan.buffer), at);
  const p2 = join(dir, 'nan-nochecksum.arrow');
  writeFileSync(p2, bytes);
  await assert.rejects(readFeatureCache(p2), new RegExp(`${p2.replace(/[/.]/g, '\\$&')}: row 1, column 'features' \\(neuron 1\\): value NaN is not finite`));
});

test('the writer refuses NaN/Inf features and labels outside the class range, naming file, row and column', async () => {
  const w = await FeatureCacheWriter.open(join(dir, 'bad.arrow'), { classNames: ['a', 'b'] }, 2);
  await w.append({ features: new Float32Array([1, 2, 3, 4]), labels: Int32Array.of(0, 1) });
  await assert.rejects(w.append({ features: new Float32Array([1, Infinity]), labels: Int32Array.of(0) }), /bad\.arrow: row 2, column 'features' \(neuron 1\): value Infinity is not finite/);
  await w.abort();
  await assert.rejects(
    writeFeatureCache(join(dir, 'bad2.arrow'), { features: { data: new Float32Array(4), n: 2, d: 2 }, labels: Int32Array.of(1, 2) }, { classNames: ['a', 'b'] }),
    /bad2\.arrow: row 1, column 'label': value 2 is outside 0\.\.1 \(2 class names\)/,
  );
  await assert.rejects(
    writeFeatureCache(join(dir, 'bad3.arrow'), { features: { data: new Float32Array(4), n: 2, d: 2 }, labels: Int32Array.of(-1, 0) }),
    /bad3\.arrow: row 0, column 'label': value -1 is outside ≥ 0/,
  );
});
