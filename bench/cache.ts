// Feature-cache benchmark: writes and reads a paper-scale synthetic cache (default 50,000 × 2048
// float32 = 409.6 MB of features) and prints throughput (GB/s, 1 GB = 1e9 bytes) and peak resident
// memory relative to the feature bytes. Each phase runs in its own child process so its peak RSS
// (getrusage maxrss) is its own.
//
//   npm run bench:cache                      (after npm run build)
//   node dist/bench/cache.js --n 50000 --d 2048 --dir /tmp
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFeatureCache, readFeatureCache } from '../src/cache/reader.js';
import { synthesizeFeatures, writeSyntheticCache } from '../src/cache/synth.js';
import { writeFeatureCache } from '../src/cache/writer.js';
import { Field, FixedSizeList, Float32, Int32, makeData, RecordBatch, Schema, Struct, Table, tableFromIPC, tableToIPC } from 'apache-arrow';

interface PhaseResult {
  phase: string;
  seconds: number;
  featureBytes: number;
  maxRssBytes: number;
  /** CPU seconds (user + system) of the whole phase process: on a busy machine wall time overstates cost. */
  cpuSeconds: number;
  check?: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024;
}

/** Writes all bytes (looping over short writes) and fsyncs, like the cache writer does. */
async function writeAll(path: string, bytes: Uint8Array): Promise<void> {
  const fh = await open(path, 'w');
  try {
    for (let done = 0; done < bytes.length; ) {
      const { bytesWritten } = await fh.write(bytes, done, Math.min(1 << 30, bytes.length - done), done);
      done += bytesWritten;
    }
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Runs one phase in this process and prints its result as JSON. */
async function runPhase(phase: string, file: string, n: number, d: number): Promise<void> {
  const featureBytes = n * d * 4;
  const opts = { n, d, classes: 10, seed: 0 };
  let seconds = 0;
  let check: number | undefined;
  const t0 = performance.now();
  if (phase === 'synth-stream') {
    await writeSyntheticCache(file, opts);
    seconds = (performance.now() - t0) / 1000;
  } else if (phase === 'write') {
    const { features, labels } = synthesizeFeatures(opts);
    const t1 = performance.now();
    await writeFeatureCache(file, { features, labels }, { modelId: 'bench' });
    seconds = (performance.now() - t1) / 1000;
  } else if (phase === 'read') {
    const data = await readFeatureCache(file, { verify: true });
    seconds = (performance.now() - t0) / 1000;
    check = data.features.data[data.features.data.length - 1];
  } else if (phase === 'read-noverify') {
    // The same read without the content-checksum comparison (what --no-verify does).
    const data = await readFeatureCache(file, { verify: false });
    seconds = (performance.now() - t0) / 1000;
    check = data.features.data[data.features.data.length - 1];
  } else if (phase === 'read-batches') {
    const cache = await openFeatureCache(file);
    let sum = 0;
    for await (const chunk of cache.batches()) sum += chunk.features.data[0];
    await cache.close();
    seconds = (performance.now() - t0) / 1000;
    check = sum;
  } else if (phase === 'raw-write') {
    // Peer: the same number of bytes straight to disk (fs write + fsync), no format at all.
    const { features } = synthesizeFeatures(opts);
    const raw = `${file}.raw`;
    const t1 = performance.now();
    await writeAll(raw, new Uint8Array(features.data.buffer));
    seconds = (performance.now() - t1) / 1000;
    await rm(raw);
  } else if (phase === 'raw-read') {
    // Peer: read the file's bytes into one fresh buffer (the floor for any reader that materialises n×d).
    const size = statSync(file).size;
    const buf = new Uint8Array(size);
    const fh = await open(file, 'r');
    await fh.read(buf, 0, size, 0);
    await fh.close();
    seconds = (performance.now() - t0) / 1000;
    check = buf[size - 1];
  } else if (phase === 'arrow-js-write') {
    // Peer: apache-arrow's tableToIPC(table, 'file') of the same matrix (wrapped without copying) + writeFile.
    const { features, labels } = synthesizeFeatures(opts);
    const t1 = performance.now();
    const item = new Field('item', new Float32(), false);
    const schema = new Schema([new Field('features', new FixedSizeList(d, item), false), new Field('label', new Int32(), false), new Field('index', new Int32(), false)]);
    const index = Int32Array.from({ length: n }, (_, i) => i);
    const list = makeData({ type: new FixedSizeList(d, item), length: n, nullCount: 0, child: makeData({ type: new Float32(), length: n * d, nullCount: 0, data: features.data }) } as any);
    const cols = [list, makeData({ type: new Int32(), length: n, nullCount: 0, data: labels }), makeData({ type: new Int32(), length: n, nullCount: 0, data: index })];
    const batch = new RecordBatch(schema, makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: cols }));
    const bytes = tableToIPC(new Table(schema, [batch]), 'file');
    await writeAll(`${file}.js`, bytes);
    seconds = (performance.now() - t1) / 1000;
    await rm(`${file}.js`);
  } else if (phase === 'arrow-js-read') {
    // Peer: apache-arrow's tableFromIPC on the file's bytes, then one contiguous n×d Float32Array (what analyses need).
    const table = tableFromIPC(await readFile(file));
    const out = new Float32Array(n * d);
    let row = 0;
    for (const b of table.batches) {
      const child = b.getChildAt(0)!.data[0].children[0];
      out.set((child.values as Float32Array).subarray(child.offset, child.offset + b.numRows * d), row * d);
      row += b.numRows;
    }
    seconds = (performance.now() - t0) / 1000;
    check = out[out.length - 1];
  } else if (phase === 'baseline') {
    seconds = 0;
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  const cpu = process.cpuUsage();
  const result: PhaseResult = { phase, seconds, featureBytes, maxRssBytes: maxRss(), cpuSeconds: (cpu.user + cpu.system) / 1e6, check };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function spawnPhase(phase: string, file: string, n: number, d: number): PhaseResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [self, '--phase', phase, '--file', file, '--n', String(n), '--d', String(d)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench phase ${phase} failed (exit ${r.status}${r.signal ? `, signal ${r.signal}` : ''})`);
  const last = r.stdout.trim().split('\n').pop()!;
  return JSON.parse(last) as PhaseResult;
}

async function main(): Promise<void> {
  const n = Number(arg('n', '50000'));
  const d = Number(arg('d', '2048'));
  const phase = arg('phase', '');
  if (phase) return runPhase(phase, arg('file', ''), n, d);
  const dir = mkdtempSync(join(arg('dir', tmpdir()), 'dr-bench-cache-'));
  const file = join(dir, 'bench.arrow');
  const gib = (b: number) => (b / 2 ** 30).toFixed(3);
  const featureBytes = n * d * 4;
  console.log(`feature cache benchmark: n=${n}, d=${d}, features ${(featureBytes / 1e9).toFixed(3)} GB (${gib(featureBytes)} GiB), file in ${dir}`);
  try {
    const base = spawnPhase('baseline', file, n, d);
    console.log(`node baseline peak RSS: ${(base.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
    const rows: string[][] = [['phase', 'seconds', 'GB/s', 'process CPU s', 'peak RSS MiB', 'peak RSS / feature bytes']];
    for (const p of ['synth-stream', 'write', 'raw-write', 'arrow-js-write', 'read', 'read-noverify', 'read-batches', 'raw-read', 'arrow-js-read']) {
      const r = spawnPhase(p, file, n, d);
      const gbs = r.seconds > 0 ? featureBytes / 1e9 / r.seconds : NaN;
      rows.push([p, r.seconds.toFixed(2), gbs.toFixed(3), r.cpuSeconds.toFixed(2), (r.maxRssBytes / 2 ** 20).toFixed(0), (r.maxRssBytes / featureBytes).toFixed(2)]);
      if (p === 'write') console.log(`file size: ${(statSync(file).size / 1e9).toFixed(3)} GB`);
    }
    const verified = Number(rows.find((r) => r[0] === 'read')![2]);
    const plain = Number(rows.find((r) => r[0] === 'read-noverify')![2]);
    const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
    for (const r of rows) console.log(r.map((c, j) => c.padStart(widths[j])).join('  '));
    console.log(`verified read / plain read throughput: ${(verified / plain).toFixed(2)} (target >= 0.80; read checks the CRC-32 content checksums, read-noverify does not)`);
    console.log('synth-stream: generate + stream-write (bounded memory); write: writeFeatureCache of an in-memory matrix');
    console.log('(the matrix itself counts in its peak RSS); read: readFeatureCache into one n×d array;');
    console.log('read-batches: lazy FeatureCache.batches(). Peers: raw-write/raw-read move the same bytes with plain fs');
    console.log('calls (no format); arrow-js-write/-read use apache-arrow tableToIPC / tableFromIPC (+ one contiguous copy).');
    console.log('Reads come from the page cache right after writing; writes include fsync. process CPU s covers the');
    console.log('whole child process (start-up and, for write phases, generating the matrix too).');
    console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(1)).join(' ')} on ${availableParallelism()} cores`);
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
