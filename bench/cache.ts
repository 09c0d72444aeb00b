// Feature-cache benchmark: writes and reads a paper-scale synthetic cache (default 50,000 × 2048
// float32 = 409.6 MB of features) and prints throughput (GB/s, 1 GB = 1e9 bytes) and peak resident
// memory relative to the feature bytes. Each phase runs in its own child process so its peak RSS
// (getrusage maxrss) is its own.
//
//   npm run bench:cache                      (after npm run build)
//   node dist/bench/cache.js --n 50000 --d 2048 --dir /tmp
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openFeatureCache, readFeatureCache } from '../src/cache/reader.js';
import { synthesizeFeatures, writeSyntheticCache } from '../src/cache/synth.js';
import { writeFeatureCache } from '../src/cache/writer.js';

interface PhaseResult {
  phase: string;
  seconds: number;
  featureBytes: number;
  maxRssBytes: number;
  check?: number;
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

function maxRss(): number {
  return process.resourceUsage().maxRSS * 1024;
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
    const data = await readFeatureCache(file);
    seconds = (performance.now() - t0) / 1000;
    check = data.features.data[data.features.data.length - 1];
  } else if (phase === 'read-batches') {
    const cache = await openFeatureCache(file);
    let sum = 0;
    for await (const chunk of cache.batches()) sum += chunk.features.data[0];
    await cache.close();
    seconds = (performance.now() - t0) / 1000;
    check = sum;
  } else if (phase === 'baseline') {
    seconds = 0;
  } else {
    throw new Error(`unknown phase ${phase}`);
  }
  const result: PhaseResult = { phase, seconds, featureBytes, maxRssBytes: maxRss(), check };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function spawnPhase(phase: string, file: string, n: number, d: number): PhaseResult {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, [self, '--phase', phase, '--file', file, '--n', String(n), '--d', String(d)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (r.status !== 0) throw new Error(`bench phase ${phase} failed (exit ${r.status})`);
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
    const rows: string[][] = [['phase', 'seconds', 'GB/s', 'peak RSS MiB', 'peak RSS / feature bytes']];
    for (const p of ['synth-stream', 'write', 'read', 'read-batches']) {
      const r = spawnPhase(p, file, n, d);
      const gbs = r.seconds > 0 ? featureBytes / 1e9 / r.seconds : NaN;
      rows.push([p, r.seconds.toFixed(2), gbs.toFixed(3), (r.maxRssBytes / 2 ** 20).toFixed(0), (r.maxRssBytes / featureBytes).toFixed(2)]);
      if (p === 'write') console.log(`file size: ${(statSync(file).size / 1e9).toFixed(3)} GB`);
    }
    const widths = rows[0].map((_, j) => Math.max(...rows.map((r) => r[j].length)));
    for (const r of rows) console.log(r.map((c, j) => c.padStart(widths[j])).join('  '));
    console.log('synth-stream: generate + stream-write (bounded memory); write: writeFeatureCache of an in-memory matrix');
    console.log('(the matrix itself counts in its peak RSS); read: readFeatureCache into one n×d array;');
    console.log('read-batches: lazy FeatureCache.batches(). Reads come from the page cache right after writing.');
  } finally {
    if (!process.argv.includes('--keep')) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
