/**
 * `npm run bench:linalg [-- --quick] [-- --only onnx,workers] [-- --dense-only] [-- --gram-only]
 * [-- --sizes 2048,4096]`: GFLOP/s of every
 * Linalg candidate on Gram (XᵀX), matmul (n×k by k×10), and of the float64 dense kernels
 * (blocked Cholesky, blocked triangular solves with 100 right-hand sides, the divide-and-conquer
 * eigensolver, the old unblocked ones at small sizes) at 1024, 2048 and 4096, with numpy (Debian
 * /usr/bin/python3) run side by side on the same shapes, plus the accuracy of each candidate
 * against float64 on ReLU-like (non-negative, non-centred) and centred data. Prints the load
 * average before and after and a table whose `numpy / ours` column is numpy's time over ours
 * (≥ 1: we are faster); `--json FILE` also writes the rows. GFLOP/s is wall-clock; GFLOP/CPU-s
 * divides by the process CPU time (all threads), a fairer figure when other jobs share the cores.
 * `--gram-only` runs just the Gram shapes (45,000×2048 included) beside numpy; `--sizes` picks the
 * dense kernels' sizes (default 1024, 2048, 4096).
 */
import { reluFeatures } from './reluFeatures.js';
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { getLinalg, LINALG_NAMES } from '../src/linalg/select.js';
import { centredGram } from '../src/linalg/centred.js';
import { choleskyFactor } from '../src/linalg/cholesky.js';
import { symmetricEigen } from '../src/linalg/eigen.js';
import { choleskyFactorBlocked, solveLowerBlocked, solveLowerTransposedBlocked } from '../src/linalg/blockedCholesky.js';
import { symmetricEigenBlocked } from '../src/linalg/eigenBlocked.js';
import { createOnnxLinalg } from '../src/linalg/onnx.js';
import type { Linalg } from '../src/linalg/types.js';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const denseOnly = argv.includes('--dense-only');
const gramOnly = argv.includes('--gram-only');
const sizesArg = argv.indexOf('--sizes');
const sizes = sizesArg >= 0 ? argv[sizesArg + 1].split(',').map(Number) : undefined;
if (sizes && !sizes.every((s) => Number.isInteger(s) && s >= 64)) {
  console.error(`bench:linalg: --sizes expects comma-separated integers ≥ 64, got ${argv[sizesArg + 1]}`);
  process.exit(2);
}
const onlyArg = argv.indexOf('--only');
const only = onlyArg >= 0 ? argv[onlyArg + 1].split(',') : [...LINALG_NAMES];
const jsonArg = argv.indexOf('--json');
const jsonOut = jsonArg >= 0 ? argv[jsonArg + 1] : undefined;

interface Row { op: string; shape: string; impl: string; seconds: number; gflops: number; cpuSeconds?: number; relError?: number; note?: string }
const rows: Row[] = [];


function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    worst = Math.max(worst, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return worst / (scale || 1);
}

/** Linear CKA between X and its every-7th-column subset, from X's centred Gram G (d×d). */
function subsetCka(g: ArrayLike<number>, d: number): number {
  const s: number[] = [];
  for (let i = 0; i < d; i += 7) s.push(i);
  let cross = 0;
  let whole = 0;
  let part = 0;
  for (const i of s) for (let j = 0; j < d; j++) cross += g[i * d + j] ** 2;
  for (let k = 0; k < d * d; k++) whole += g[k] ** 2;
  for (const i of s) for (const j of s) part += g[i * d + j] ** 2;
  return cross / Math.sqrt(whole * part);
}

/** Wall seconds and process CPU seconds (all threads: onnxruntime's and workers' included). */
async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  const value = await fn();
  const u = process.cpuUsage(c);
  return { value, seconds: (performance.now() - t) / 1000, cpuSeconds: (u.user + u.system) / 1e6 };
}

/** Largest n·p² the plain reference is asked to do (it runs at well under 1 GFLOP/s). */
const REFERENCE_MAX_FLOPS = 3e9;
/** The single-thread TypeScript kernel skips the largest cases (minutes each). */
const SLOW_MAX_FLOPS = 60e9;

const load = () => loadavg().map((v) => v.toFixed(2)).join(' ');

async function main(): Promise<void> {
  const loadBefore = load();
  const gramShapes: [number, number][] = denseOnly ? [] : quick ? [[2000, 256], [10000, 512]] : [[2000, 256], [10000, 512], [45000, 2048]];
  const impls: Linalg[] = [];
  for (const name of only) {
    try {
      impls.push(await getLinalg(name));
    } catch (err: any) {
      process.stderr.write(`skip ${name}: ${err.message}\n`);
    }
  }
  // Float64 accumulation: the accuracy yardstick (onnx-f64 is ~1e-15 relative and much faster than workers).
  const exact = await getLinalg('onnx-f64').catch(() => getLinalg('workers'));

  for (const [n, p] of gramShapes) {
    process.stderr.write(`gram ${n}×${p} …\n`);
    const x = reluFeatures(n, p, 7);
    const flops = 2 * n * p * p;
    const truth = await exact.gram(x, n, p);
    // Centred truth entirely in float64: exact raw Gram minus n·μμᵀ with float64 means (the
    // cancellation is harmless at float64 for this data, mean²/variance ≈ 10).
    const mean = new Float64Array(p);
    for (let r = 0; r < n; r++) for (let j = 0; j < p; j++) mean[j] += x[r * p + j];
    for (let j = 0; j < p; j++) mean[j] /= n;
    const truthC = { gram: truth.map((v, k) => v - n * mean[Math.floor(k / p)] * mean[k % p]) };
    for (const l of impls) {
      if (l.name === 'reference' && flops > REFERENCE_MAX_FLOPS) continue;
      // Backends under ~5 GFLOP/s would take many minutes on the largest shape; their rate is flat in size.
      if ((l.name === 'typescript' || l.name === 'workers' || l.name === 'wasm') && flops > SLOW_MAX_FLOPS) continue;
      const r = await timed(() => l.gram(x, n, p));
      rows.push({ op: 'gram (ReLU data)', shape: `${n}×${p}`, impl: l.name, seconds: r.seconds, cpuSeconds: r.cpuSeconds, gflops: flops / r.seconds / 1e9, relError: relErr(r.value, truth) });
      const c = await timed(() => centredGram(l, { data: x, n, d: p }));
      const dCka = Math.abs(subsetCka(c.value.gram, p) - subsetCka(truthC.gram, p));
      rows.push({ op: 'centredGram', shape: `${n}×${p}`, impl: l.name, seconds: c.seconds, cpuSeconds: c.cpuSeconds, gflops: flops / c.seconds / 1e9, relError: relErr(c.value.gram, truthC.gram), note: `|ΔCKA| ${dCka.toExponential(1)}` });
      process.stderr.write(`  ${l.name} ${r.seconds.toFixed(2)}s\n`);
    }
    if (only.includes('onnx') && p >= 512) {
      // The float32 Gram's two strategies side by side: one full Gemm vs the upper-triangle tail panels (default).
      const one = await createOnnxLinalg({ gramTailPanels: 1 });
      const r = await timed(() => one.gram(x, n, p));
      rows.push({ op: 'gram (ReLU data)', shape: `${n}×${p}`, impl: 'onnx (one Gemm)', seconds: r.seconds, cpuSeconds: r.cpuSeconds, gflops: flops / r.seconds / 1e9, relError: relErr(r.value, truth), note: 'full product, both triangles' });
      await one.dispose?.();
    }
  }

  const mm: [number, number, number][] = denseOnly || gramOnly ? [] : quick ? [[10000, 512, 10]] : [[10000, 512, 10], [45000, 2048, 10]];
  for (const [m, k, c] of mm) {
    process.stderr.write(`matmul ${m}×${k}·${k}×${c} …\n`);
    const a = reluFeatures(m, k, 3);
    const b = Float32Array.from({ length: k * c }, (_, i) => Math.sin(i));
    const flops = 2 * m * k * c;
    const truth = await exact.matmul(a, b, m, k, c);
    for (const l of impls) {
      if (l.name === 'reference' && flops > REFERENCE_MAX_FLOPS) continue;
      const r = await timed(() => l.matmul(a, b, m, k, c));
      rows.push({ op: 'matmul', shape: `${m}×${k}·${k}×${c}`, impl: l.name, seconds: r.seconds, cpuSeconds: r.cpuSeconds, gflops: flops / r.seconds / 1e9, relError: relErr(r.value, truth) });
    }
  }

  const denseSizes = gramOnly ? [] : sizes ?? (quick ? [256, 512] : [1024, 2048, 4096]);
  const dense = await getLinalg('onnx').catch(() => undefined);
  if (denseSizes.length > 0) {
    // Warm-up (JIT, onnxruntime sessions) so the first timed size is not charged for it.
    const w = await exact.gram(reluFeatures(300, 260, 1), 300, 260);
    for (let i = 0; i < 260; i++) w[i * 260 + i] += 1;
    const l = await choleskyFactorBlocked(w, 260, { linalg: dense });
    await solveLowerTransposedBlocked(l, 260, await solveLowerBlocked(l, 260, new Float64Array(2600), 10, { linalg: dense }), 10, { linalg: dense });
    await symmetricEigenBlocked(w, 260, { linalg: dense });
    choleskyFactor(w, 260);
    symmetricEigen(w, 260);
  }
  for (const nEig of denseSizes) {
    process.stderr.write(`cholesky / solves / eigen ${nEig} …\n`);
    const g = await exact.gram(reluFeatures(nEig + 64, nEig, 5), nEig + 64, nEig);
    for (let i = 0; i < nEig; i++) g[i * nEig + i] += 1;
    const impl = dense ? 'blocked (onnx f64 GEMM)' : 'blocked (TypeScript GEMM)';
    if (nEig <= 1024) {
      const ch = await timed(() => choleskyFactor(g, nEig));
      rows.push({ op: 'cholesky', shape: `${nEig}×${nEig}`, impl: 'unblocked TypeScript', seconds: ch.seconds, cpuSeconds: ch.cpuSeconds, gflops: nEig ** 3 / 3 / ch.seconds / 1e9 });
    }
    const cb = await timed(() => choleskyFactorBlocked(g, nEig, { linalg: dense }));
    rows.push({ op: 'cholesky', shape: `${nEig}×${nEig}`, impl, seconds: cb.seconds, cpuSeconds: cb.cpuSeconds, gflops: nEig ** 3 / 3 / cb.seconds / 1e9 });
    const rhs = Float64Array.from({ length: nEig * 100 }, (_, i) => Math.sin(i));
    const sv = await timed(async () => solveLowerTransposedBlocked(cb.value, nEig, await solveLowerBlocked(cb.value, nEig, rhs, 100, { linalg: dense }), 100, { linalg: dense }));
    rows.push({ op: 'triangular solves L, Lᵀ (100 rhs)', shape: `${nEig}×${nEig}`, impl, seconds: sv.seconds, cpuSeconds: sv.cpuSeconds, gflops: (2 * nEig * nEig * 100) / sv.seconds / 1e9 });
    if (nEig <= 1024) {
      const eg = await timed(() => symmetricEigen(g, nEig));
      rows.push({ op: 'eigen (values+vectors)', shape: `${nEig}×${nEig}`, impl: 'QL TypeScript (old)', seconds: eg.seconds, cpuSeconds: eg.cpuSeconds, gflops: (9 * nEig ** 3) / eg.seconds / 1e9, note: 'flops counted as 9n³' });
    }
    const eb = await timed(() => symmetricEigenBlocked(g, nEig, { linalg: dense }));
    rows.push({ op: 'eigen (values+vectors)', shape: `${nEig}×${nEig}`, impl: dense ? 'D&C (onnx f64 GEMM)' : 'D&C (TypeScript GEMM)', seconds: eb.seconds, cpuSeconds: eb.cpuSeconds, gflops: (9 * nEig ** 3) / eb.seconds / 1e9, note: 'flops counted as 9n³' });
  }

  for (const l of impls) await l.dispose?.();
  runNumpy(gramShapes, mm, denseSizes);
  console.log(`load average (1, 5, 15 min): before ${loadBefore}; after ${load()}`);
  printTable();
  if (jsonOut) {
    writeFileSync(`${jsonOut}.tmp`, JSON.stringify(rows, null, 1));
    renameSync(`${jsonOut}.tmp`, jsonOut);
  }
}

function runNumpy(gramShapes: [number, number][], mm: [number, number, number][], eig: number[]): void {
  const python = '/usr/bin/python3';
  if (!existsSync(python)) {
    process.stderr.write('numpy: /usr/bin/python3 not found, skipping the side-by-side run\n');
    return;
  }
  const script = `
import json, sys, time
import numpy as np
cfg = json.loads(sys.argv[1]); rows_ = []
class Out:
    def append(self, row): rows_.append(row + [cpu.get("last", 0.0)])
out = Out()
rng = np.random.default_rng(0)
cpu = {}
def t(f, reps=1):
    best = 1e9
    for _ in range(reps):
        s = time.perf_counter(); c = time.process_time(); f()
        w = time.perf_counter() - s
        if w < best: best = w; cpu["last"] = time.process_time() - c
    return best
for n, p in cfg["gram"]:
    x = np.maximum(rng.standard_normal((n, p), dtype=np.float32) + 0.3, 0)
    s = t(lambda: x.T @ x); out.append(["gram (ReLU data)", f"{n}×{p}", "numpy-f32", s, 2*n*p*p/s/1e9])
    x64 = x.astype(np.float64)
    s = t(lambda: x64.T @ x64); out.append(["gram (ReLU data)", f"{n}×{p}", "numpy-f64", s, 2*n*p*p/s/1e9])
    del x64
for m, k, c in cfg["mm"]:
    a = rng.standard_normal((m, k), dtype=np.float32); b = rng.standard_normal((k, c), dtype=np.float32)
    s = t(lambda: a @ b, 3); out.append(["matmul", f"{m}×{k}·{k}×{c}", "numpy-f32", s, 2*m*k*c/s/1e9])
for n in cfg["eig"]:
    g = rng.standard_normal((n + 64, n)); g = g.T @ g + np.eye(n)
    s = t(lambda: np.linalg.cholesky(g)); out.append(["cholesky", f"{n}×{n}", "numpy-f64", s, n**3/3/s/1e9])
    try:
        import scipy.linalg as sl
        L = np.linalg.cholesky(g); b = np.sin(np.arange(n * 100)).reshape(n, 100)
        s = t(lambda: sl.solve_triangular(L.T, sl.solve_triangular(L, b, lower=True), lower=False))
        out.append(["triangular solves L, Lᵀ (100 rhs)", f"{n}×{n}", "numpy-f64 (scipy)", s, 2*n*n*100/s/1e9])
    except ImportError:
        pass
    s = t(lambda: np.linalg.eigh(g)); out.append(["eigen (values+vectors)", f"{n}×{n}", "numpy-f64", s, 9*n**3/s/1e9])
print(json.dumps({"numpy": np.__version__, "rows": rows_}))
`;
  // Debian's OpenBLAS honours these; the shared environment sets them to values that slow it down.
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  process.stderr.write('numpy side by side …\n');
  const res = spawnSync(python, ['-c', script, JSON.stringify({ gram: gramShapes, mm, eig })], { env, encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) {
    process.stderr.write(`numpy run failed: ${res.stderr}\n`);
    return;
  }
  const parsed = JSON.parse(res.stdout.trim().split('\n').pop()!);
  for (const [op, shape, impl, seconds, gflops, cpuSeconds] of parsed.rows) rows.push({ op, shape, impl: `${impl} (${parsed.numpy})`, seconds, gflops, cpuSeconds });
}

function printTable(): void {
  const header = ['op', 'shape', 'impl', 'seconds', 'CPU s', 'GFLOP/s', 'GFLOP/CPU-s', '× reference', 'numpy / ours', 'rel. error vs f64', 'note'];
  const lines: string[][] = [];
  for (const r of rows) {
    const same = rows.filter((o) => o.op === r.op && o.shape === r.shape);
    // Reference rate: at this shape if it ran, else its rate on the largest shape it did run.
    const refRow = same.find((o) => o.impl === 'reference') ?? [...rows].reverse().find((o) => o.op === r.op && o.impl === 'reference');
    const float64Op = r.op === 'cholesky' || r.op.startsWith('eigen') || r.op.startsWith('triangular');
    const np = same.find((o) => o.impl.startsWith(float64Op || r.impl.endsWith('f64') ? 'numpy-f64' : 'numpy-f32')) ?? same.find((o) => o.impl.startsWith('numpy'));
    lines.push([
      r.op, r.shape, r.impl, r.seconds.toFixed(3), r.cpuSeconds === undefined ? '' : r.cpuSeconds.toFixed(2), r.gflops.toFixed(2),
      r.cpuSeconds ? ((r.gflops * r.seconds) / r.cpuSeconds).toFixed(2) : '',
      refRow ? (r.gflops / refRow.gflops).toFixed(1) : '',
      np && !r.impl.startsWith('numpy') ? (r.gflops / np.gflops).toFixed(3) : '',
      r.relError === undefined ? '' : r.relError.toExponential(1),
      r.note ?? '',
    ]);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l: string[]) => `| ${l.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const l of lines) console.log(fmt(l));
}

main().then(() => process.exit(0), (err) => {
  console.error(err);
  process.exit(1);
});
