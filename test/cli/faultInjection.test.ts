// Fault injection (issue 12): extract, import, synth and sweep are killed at seeded random moments;
// afterwards no target reads as valid but wrong, the next run gives the uninterrupted result, and
// no temporary or lock file is left once it has run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFeatureCache } from '../../src/cache/reader.js';
import { writeNpy } from '../../src/cache/npy.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { readSweepResults } from '../../src/sweep/engine.js';
import { readSweepFileMeta } from '../../src/sweep/identity.js';
import { SeededRng } from '../../src/util/random.js';
import { tempDir } from '../cache/tmpdir.js';
import { writeCachePair } from '../fixtures/summary/files.js';
import { tinyDense, writeTinyOnnxModel } from '../models/helpers/tinyModels.js';

const bin = fileURLToPath(new URL('../../../bin/dr.js', import.meta.url));
const dir = tempDir('dr-faults-');
const TRIALS = Number(process.env.DR_FAULT_TRIALS ?? 20);

function start(args: string[]) {
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (b) => { stderr += b; });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  return { child, done };
}

async function runToEnd(args: string[]): Promise<number> {
  const t0 = performance.now();
  const r = await start(args).done;
  assert.equal(r.code, 0, `dr ${args.join(' ')}: ${r.stderr}`);
  return performance.now() - t0;
}

interface Job {
  name: string;
  args: string[];
  target: string;
  /** Throws unless the target (present) is exactly the uninterrupted result, or (partial) a true part of it. */
  check(partialAllowed: boolean): Promise<void>;
  reset(): void;
}

const { train, test: testFile } = await writeCachePair(dir);
const g = synthesizeFeatures({ n: 3000, d: 24, classes: 5, seed: 3 });
await writeNpy(join(dir, 'x.npy'), g.features.data, [3000, 24]);
await writeNpy(join(dir, 'y.npy'), g.labels);
await writeTinyOnnxModel(join(dir, 'tiny.onnx'), tinyDense(28, 28, 1, 9, 10, 5));

const refs = new Map<string, any>();

async function cacheEquals(name: string, path: string): Promise<void> {
  const got = await readFeatureCache(path);
  const want = refs.get(name);
  assert.deepEqual(got.features.data, want.features.data, `${name}: ${path} reads as valid but differs`);
  assert.deepEqual(got.labels, want.labels);
  assert.deepEqual(got.index, want.index);
}

function sweepRows(path: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const r of readSweepResults(path).objects() as Record<string, unknown>[]) m.set(`${r.selection}|${r.fraction}|${r.seed}|${r.probe}`, r.accuracy as number);
  return m;
}

function cacheJob(name: string, args: string[], target: string, findTarget: () => string | undefined = () => (existsSync(target) ? target : undefined)): Job {
  return {
    name, args, target,
    async check() {
      const p = findTarget();
      if (p) await cacheEquals(name, p);
    },
    reset() { rmSync(target, { recursive: true, force: true }); },
  };
}

const sweepOut = join(dir, 'sweep.arrow');
const extractDir = join(dir, 'cache');
const jobs: Job[] = [
  cacheJob('synth', ['synth', '--n', '20000', '--d', '24', '--classes', '4', '--seed', '7', '--batch-rows', '400', '--out', join(dir, 'synth.arrow')], join(dir, 'synth.arrow')),
  cacheJob('import', ['import', '--features', join(dir, 'x.npy'), '--labels', join(dir, 'y.npy'), '--out', join(dir, 'import.arrow')], join(dir, 'import.arrow')),
  cacheJob('extract', ['extract', '--model', join(dir, 'tiny.onnx'), '--layer', 'features', '--onnx-provider', 'cpu', '--dataset', 'mnist-digits', '--split', 'test', '--limit', '400', '--batch', '8', '--cache-dir', extractDir], extractDir,
    () => (existsSync(extractDir) ? readdirSync(extractDir).filter((f) => f.endsWith('.arrow')).map((f) => join(extractDir, f))[0] : undefined)),
  {
    name: 'sweep',
    args: ['sweep', '--train', train, '--test', testFile, '--fractions', '0.0625,0.125,0.25,0.375,0.5,0.75', '--seeds', '1,2,3', '--select', 'random,first', '--probe', 'ridge,softmax', '--save-every', '0', '--out', sweepOut],
    target: sweepOut,
    async check(partialAllowed: boolean) {
      if (!existsSync(sweepOut)) return;
      const want: Map<string, number> = refs.get('sweep');
      const got = sweepRows(sweepOut);
      assert.ok(readSweepFileMeta(sweepOut), 'a results file always records its inputs');
      for (const [k, v] of got) assert.equal(v, want.get(k), `sweep cell ${k} reads as valid but differs`);
      if (!partialAllowed) assert.equal(got.size, want.size, 'the resumed sweep holds every cell');
    },
    reset() { rmSync(sweepOut, { force: true }); },
  },
];

function leftovers(): string[] {
  const out: string[] = [];
  for (const d of [dir, extractDir]) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) if (f.endsWith('.tmp') || f.endsWith('.lock') || f.includes('.tmp-')) out.push(join(d, f));
  }
  return out;
}

test(`fault injection: ${TRIALS} seeded kills of extract, import, synth and sweep leave nothing valid-but-wrong`, { timeout: 600_000 }, async () => {
  const durations = new Map<string, number>();
  for (const job of jobs) {
    job.reset();
    durations.set(job.name, await runToEnd(job.args));
    if (job.name === 'sweep') refs.set('sweep', sweepRows(sweepOut));
    else {
      const p = job.name === 'extract' ? join(extractDir, readdirSync(extractDir).find((f) => f.endsWith('.arrow'))!) : job.target;
      refs.set(job.name, await readFeatureCache(p));
    }
  }
  const rng = new SeededRng(2024);
  const interrupted = new Map<string, number>();
  for (let t = 0; t < TRIALS; t++) {
    const job = jobs[t % jobs.length];
    job.reset();
    const signal: NodeJS.Signals = rng.below(2) === 0 ? 'SIGKILL' : 'SIGTERM';
    const delay = rng.below(Math.max(50, Math.round(durations.get(job.name)! * 1.1)));
    const run = start(job.args);
    const timer = setTimeout(() => run.child.kill(signal), delay);
    const r = await run.done;
    clearTimeout(timer);
    const what = `trial ${t}: ${job.name} ${signal} after ${delay} ms (exit ${r.code ?? r.signal})`;
    if (r.signal) interrupted.set(job.name, (interrupted.get(job.name) ?? 0) + 1);
    else assert.equal(r.code, 0, `${what}: ${r.stderr}`);
    await job.check(true).catch((err) => { throw new Error(`${what}: ${err.message}`); });
    if (signal === 'SIGTERM') assert.deepEqual(leftovers().filter((f) => !f.endsWith('.lock')), [], `${what}: SIGTERM removes the temporary files`);
    // The next run (resume, rebuild or re-import) gives the uninterrupted result and sweeps what a SIGKILL left.
    await runToEnd(job.args);
    await job.check(false).catch((err) => { throw new Error(`${what}, then rerun: ${err.message}`); });
    assert.deepEqual(leftovers(), [], `${what}: nothing left after the next run`);
  }
  // The trials must really have interrupted runs, or they prove nothing.
  assert.ok([...interrupted.values()].reduce((a, b) => a + b, 0) >= TRIALS / 2, `interrupted: ${JSON.stringify([...interrupted])}`);
});
