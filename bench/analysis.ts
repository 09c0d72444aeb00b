/**
 * `npm run bench:analysis`: times the analysis core on a paper-scale synthetic pair (train
 * 45,000 × 2048, test 10,000, 10 classes) — the Figure 1 grid (21 fractions × 5 seeds + the full
 * layer = 106 probes) with ridge and with softmax, and CKA over the grid when src/similarity
 * provides it — and, when Debian's /usr/bin/python3 has numpy and scikit-learn, runs the same work
 * there on the same features (exported as .npy) and prints the ratios.
 * With λ chosen on validation data (`--l2 auto`, the probes' default) it also times the auto-λ ridge
 * grid and the auto-λ softmax grid against the fixed-λ ones, and runs the equivalent TUNED protocol
 * in numpy / scikit-learn (the same validation split, λ grids, tie and stopping rules) side by side.
 *
 * scikit-learn's softmax (fixed and tuned) runs on the seed-1 cells of --sklearn-fractions only
 * (a whole grid of it takes hours at paper scale); its whole-grid time is an ESTIMATE, piecewise
 * linear in k through the measured cells (linear through 0 below the first, the last segment's
 * slope above the last), and is printed as such. The run ends with one side-by-side summary.
 *
 * Options: --quick (our softmax on seed 1 of every fraction + the full layer, the other seeds
 * extrapolated ×5 — labelled as estimates), --n N --test M --d D --classes C --l2 λ
 * --sklearn-fractions LIST (seed-1 cells given to scikit-learn, 1 = the full layer; default
 * 0.01,0.1,0.5) --sklearn-all (every cell: hours at paper scale) --no-python --no-softmax
 * --keep DIR (keep the exported .npy files there), --no-auto (skip the auto-λ parts),
 * --no-curve-compare (skip timing the ridge validation curve's eigendecomposition against its band reduction).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import type { FeatureBlock } from '../src/types.js';
import type { Linalg } from '../src/linalg/types.js';
import { referenceLinalg } from '../src/linalg/reference.js';
import { synthesizeFeatures } from '../src/cache/synth.js';
import { writeNpy } from '../src/cache/npy.js';
import { randomNeuronIndices } from '../src/select/randomNeurons.js';
import { SubsetCka } from '../src/similarity/subsetCka.js';
import { packageRoot } from '../src/util/paths.js';
import { RidgeGram, fitRidgeFromMoments } from '../src/probe/ridge.js';
import { runProbe, type ProbeSelection } from '../src/probe/run.js';
import { evaluatePrefixes, evaluateProbe } from '../src/probe/evaluate.js';
import { gatherColumns } from '../src/probe/features.js';
import { PROBE_DEFAULTS, relativeL2Grid } from '../src/probe/defaults.js';
import { chooseOnCurve, ridgeValidationCurve } from '../src/probe/penalty.js';
import { subsetMoments } from '../src/probe/gram.js';
import { meanVariance } from '../src/probe/validation.js';

/** Figure 1 fractions (REFERENCE.md E1), without the full layer. */
const FIG1_FRACTIONS = [0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.8, 0.9];
const SEEDS = [1, 2, 3, 4, 5];

interface Cell { fraction: number; seed: number; indices: Int32Array }

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}
const flag = (name: string): boolean => process.argv.includes(`--${name}`);
const log = (s: string): void => { process.stdout.write(`${s}\n`); };
const note = (s: string): void => { process.stderr.write(`${s}\n`); };
const secs = (t0: number): number => (performance.now() - t0) / 1000;
/** CPU seconds (all threads of this process, user + system) since `c0`: fairer than wall time on a shared machine. */
const cpuSecs = (c0: NodeJS.CpuUsage): number => { const u = process.cpuUsage(c0); return (u.user + u.system) / 1e6; };

/** Modules written by other helpers: used when present, else a labelled fallback. */
async function optionalModule(path: string): Promise<Record<string, any>> {
  try { return (await import(path)) as Record<string, any>; } catch { return {}; }
}

function hasPythonSklearn(): boolean {
  if (!existsSync('/usr/bin/python3')) return false;
  const r = spawnSync('/usr/bin/python3', ['-c', 'import numpy, sklearn'], { encoding: 'utf8' });
  return r.status === 0;
}

function runPython(dir: string, flags: string[], l2: number): Record<string, any> | undefined {
  const script = join(packageRoot(), 'scripts', 'bench_sklearn.py');
  const r = spawnSync('nice', ['-n', '10', '/usr/bin/python3', script, dir, ...flags, '--l2', String(l2)], {
    encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 26,
  });
  if (r.status !== 0) { note(`python ${flags.join(' ')} failed (exit ${r.status})`); return undefined; }
  const lines = r.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}

/** The process's peak RSS (bytes) as each phase ended: which phase set the final peak. */
const phasePeaks: [string, number][] = [];
const markPeak = (phase: string): void => { phasePeaks.push([phase, process.resourceUsage().maxRSS * 1024]); };

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Seconds as a function of k through measured (k, seconds) points: piecewise linear between them,
 * proportional to k below the first (at least 5% of it), the last segment's slope above the last
 * (never below the last value). Used to ESTIMATE grids from a few measured cells.
 */
function secondsInK(points: [number, number][]): (k: number) => number {
  const pts = [...points].sort((a, b) => a[0] - b[0]);
  return (k: number): number => {
    if (k <= pts[0][0]) return pts[0][1] * Math.max(0.05, k / pts[0][0]);
    for (let j = 1; j < pts.length; j++) if (k <= pts[j][0]) return pts[j - 1][1] + (pts[j][1] - pts[j - 1][1]) * (k - pts[j - 1][0]) / (pts[j][0] - pts[j - 1][0]);
    const [ka, sa] = pts.length > 1 ? pts[pts.length - 2] : [0, 0];
    const [kb, sb] = pts[pts.length - 1];
    return Math.max(sb, sb + (sb - sa) * (k - kb) / (kb - ka));
  };
}

/** One row of the closing summary: a protocol's grid time with λ fixed and with λ chosen on validation data. */
interface SummaryRow { what: string; fixed?: number; auto?: number; note?: string }
const summary: SummaryRow[] = [];

async function main(): Promise<void> {
  // Node, onnxruntime and the modules before any data: the peak is also reported above this.
  const startRss = process.memoryUsage().rss;
  const quick = flag('quick');
  const n = Number(arg('n', '45000'));
  const m = Number(arg('test', '10000'));
  const d = Number(arg('d', '2048'));
  const classes = Number(arg('classes', '10'));
  const l2 = Number(arg('l2', '1e-4'));
  const skFractions = arg('sklearn-fractions', '0.01,0.1,0.5').split(',').map(Number);

  // defaultLinalg() once src/linalg exports it; until then its onnxruntime backend, else the reference.
  const linalgMod = await optionalModule('../src/linalg/index.js');
  const onnxMod = await optionalModule('../src/linalg/onnx.js');
  const linalg: Linalg = typeof linalgMod.defaultLinalg === 'function' ? await linalgMod.defaultLinalg()
    : typeof onnxMod.createOnnxLinalg === 'function' ? await onnxMod.createOnnxLinalg() : referenceLinalg;
  log(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load average ${loadavg()[0].toFixed(1)}; linalg: ${linalg.name}${quick ? '; --quick' : ''}`);

  // 1. Data.
  let t0 = performance.now();
  // Post-ReLU-like features whose class structure lives in a 32-dim latent spread over all d neurons.
  const synth = { n: n + m, d, classes, seed: 7, rank: 32, separation: 0.5, noise: 1, nonNegative: true };
  const all = synthesizeFeatures(synth);
  const source = `synthesizeFeatures ${JSON.stringify({ ...synth, n: undefined, d: undefined })}`;
  const train: FeatureBlock = { data: all.features.data.subarray(0, n * d), n, d };
  const test: FeatureBlock = { data: all.features.data.subarray(n * d, (n + m) * d), n: m, d };
  const trainLabels = all.labels.subarray(0, n);
  const testLabels = all.labels.subarray(n, n + m);
  const trainSplit = { features: train, labels: trainLabels };
  const testSplit = { features: test, labels: testLabels };
  markPeak('data');
  log(`data: train ${n}×${d}, test ${m}, ${classes} classes (${source}) in ${secs(t0).toFixed(1)} s`);

  // 2. The grid: 21 fractions × 5 seeds + the full layer.
  const pick = (k: number, seed: number): Int32Array => randomNeuronIndices(d, k, seed);
  const cells: Cell[] = [];
  for (const fraction of FIG1_FRACTIONS) for (const seed of SEEDS) cells.push({ fraction, seed, indices: pick(Math.max(1, Math.floor(fraction * d)), seed) });
  cells.push({ fraction: 1, seed: 0, indices: Int32Array.from({ length: d }, (_, i) => i) });
  const selOf = (c: Cell): ProbeSelection => ({ method: c.fraction === 1 ? 'all' : 'random', k: c.indices.length, d, fraction: c.fraction, seed: c.seed, indices: c.indices });

  // 3. Ridge over the grid from one Gram.
  t0 = performance.now();
  const ridgeCpu0 = process.cpuUsage();
  const gram = await RidgeGram.build(train, trainLabels, { linalg, classes });
  const gramSeconds = secs(t0);
  // One seed's subsets are prefixes of one permutation: one Cholesky factor per seed serves them
  // all, and one gather + one product scores them all on the test rows.
  const ridgeAcc: number[] = new Array(cells.length);
  let ridgeFitSeconds = 0;
  for (const seed of [...SEEDS, 0]) {
    const group = cells.map((c, i) => ({ c, i })).filter(({ c }) => c.seed === seed);
    const longest = group.reduce((a, b) => (b.c.indices.length > a.c.indices.length ? b : a)).c.indices;
    const nested = group.every(({ c }) => c.indices.every((v, t) => v === longest[t]));
    const tf = performance.now();
    const models = nested
      ? await gram.fitPrefixes(longest, group.map(({ c }) => c.indices.length), { l2 })
      : group.map(({ c }) => fitRidgeFromMoments(gram.forIndices(c.indices), { l2 }));
    ridgeFitSeconds += secs(tf);
    if (nested) {
      const evs = await evaluatePrefixes(models, test, longest, testLabels, linalg);
      group.forEach(({ i }, g) => { ridgeAcc[i] = evs[g].accuracy; });
    } else {
      for (let g = 0; g < group.length; g++) ridgeAcc[group[g].i] = (await evaluateProbe(models[g], gatherColumns(test, group[g].c.indices), testLabels, linalg)).accuracy;
    }
  }
  const ridgeSeconds = secs(t0);
  const ridgeCpu = cpuSecs(ridgeCpu0);
  summary.push({ what: 'ridge grid, ours', fixed: ridgeSeconds });
  markPeak('fixed-λ ridge grid');
  log(`ridge grid (${cells.length} probes): ${ridgeSeconds.toFixed(1)} s total (Gram ${gramSeconds.toFixed(1)} s, solves ${ridgeFitSeconds.toFixed(1)} s, test scoring ${(ridgeSeconds - gramSeconds - ridgeFitSeconds).toFixed(1)} s), target < 60 s; CPU ${ridgeCpu.toFixed(1)} s; full-layer accuracy ${ridgeAcc[ridgeAcc.length - 1].toFixed(4)}`);

  // 3b. Ridge over the grid with λ chosen on a validation part of the training rows (the default):
  // one more Gram of the held-out rows, then per cell one eigendecomposition for all λ and one Cholesky refit.
  const auto = !flag('no-auto');
  const ridgeAuto: { accuracy: number[]; l2: number[]; seconds: number; cpu: number; buildSeconds: number } = { accuracy: [], l2: [], seconds: NaN, cpu: NaN, buildSeconds: NaN };
  let gramH: RidgeGram | undefined;
  if (auto) {
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    gramH = await RidgeGram.build(train, trainLabels, { linalg, classes, holdout: true });
    ridgeAuto.buildSeconds = secs(t0);
    for (const c of cells) {
      const r = await runProbe(trainSplit, testSplit, selOf(c), { probe: 'ridge', l2: 'auto', linalg, classes, ridgeGram: gramH });
      ridgeAuto.accuracy.push(r.accuracy);
      ridgeAuto.l2.push(r.penalty!.l2);
      if (ridgeAuto.accuracy.length % 10 === 0) note(`auto ridge ${ridgeAuto.accuracy.length}/${cells.length}, elapsed ${secs(t0).toFixed(0)} s`);
    }
    ridgeAuto.seconds = secs(t0);
    ridgeAuto.cpu = cpuSecs(cpu0);
    summary[summary.length - 1].auto = ridgeAuto.seconds;
    summary[summary.length - 1].note = 'target auto ≤ 2× fixed';
    markPeak('auto-λ ridge grid');
    log(`auto-λ ridge grid (${cells.length} probes): ${ridgeAuto.seconds.toFixed(1)} s (Grams ${ridgeAuto.buildSeconds.toFixed(1)} s), CPU ${ridgeAuto.cpu.toFixed(1)} s → ${(ridgeAuto.seconds / ridgeSeconds).toFixed(2)}× the fixed-λ grid (target ≤ 2×); full-layer accuracy ${ridgeAuto.accuracy.at(-1)!.toFixed(4)} at λ ${ridgeAuto.l2.at(-1)!.toPrecision(3)}`);
  }

  // 3c. The validation curve's factorisation side by side on the same cells: an eigendecomposition
  // (the previous method) vs the band reduction (the default above 48 features); same 21 λ.
  if (auto && gramH?.holdout?.fit && !flag('no-curve-compare')) {
    const h = gramH.holdout;
    const picked = cells.filter((c) => (c.seed === 1 && c.fraction >= 0.1) || c.fraction === 1);
    const time = { eigen: 0, band: 0 };
    let same = 0;
    let sameChoice = 0;
    for (const c of picked) {
      const fitM = subsetMoments(h.fit!, c.indices);
      const val = gatherColumns(h.val!, c.indices);
      const grid = relativeL2Grid(PROBE_DEFAULTS.ridgeExponents, meanVariance(fitM));
      let t1 = performance.now();
      const eig = await ridgeValidationCurve(fitM, val, h.valLabels!, grid, { linalg, method: 'eigen' });
      time.eigen += secs(t1);
      t1 = performance.now();
      const band = await ridgeValidationCurve(fitM, val, h.valLabels!, grid, { linalg });
      time.band += secs(t1);
      if (eig.every((v, i) => v === band[i])) same++;
      if (chooseOnCurve(eig) === chooseOnCurve(band)) sameChoice++;
    }
    log(`ridge validation curve, ${picked.length} cells (seed 1, fractions ≥ 0.1, and the full layer), same run: eigendecomposition ${time.eigen.toFixed(1)} s vs the default (band reduction when k < fit rows) ${time.band.toFixed(1)} s → ${(time.eigen / time.band).toFixed(2)}× faster; identical curves on ${same}/${picked.length}, same chosen λ on ${sameChoice}/${picked.length}`);
  }

  // 4. CKA over the grid from one Gram of the test rows (src/similarity).
  t0 = performance.now();
  const cka = await SubsetCka.fromFeatures(test, { linalg });
  const ckaBuild = secs(t0);
  t0 = performance.now();
  const partWhole = cells.map((c) => cka.partVsWhole(c.indices));
  const subsetPairs: number[] = [];
  const pairKeys: string[] = [];
  for (const f of FIG1_FRACTIONS) {
    const group = cells.map((c, i) => ({ c, i })).filter(({ c }) => c.fraction === f);
    for (let a = 0; a < group.length; a++) {
      for (let b = a + 1; b < group.length; b++) {
        subsetPairs.push(cka.subsetVsSubset(group[a].c.indices, group[b].c.indices));
        pairKeys.push(`${group[a].i}-${group[b].i}`);
      }
    }
  }
  const ckaGrid = secs(t0);
  markPeak('CKA');
  log(`CKA over the grid (${partWhole.length} part-vs-whole + ${subsetPairs.length} subset pairs, ${m} rows): ${ckaGrid.toFixed(2)} s after a ${ckaBuild.toFixed(1)} s Gram build (target < 10 s)`);

  // 5. Softmax over the grid (quick: seed 1 of each fraction + the full layer, other seeds extrapolated).
  // Seed by seed, largest subset first, so each seed's whitening factor is computed once (prefixes reuse it).
  const softmaxCells = cells.map((c, i) => ({ c, i })).filter(({ c }) => !quick || c.seed === 1 || c.fraction === 1)
    .sort((a, b) => a.c.seed - b.c.seed || b.c.indices.length - a.c.indices.length);
  const ours = new Map<number, { seconds: number; accuracy: number; iterations: number }>();
  let gridEstimate = NaN;
  if (!flag('no-softmax')) {
    let softmaxSeconds = 0;
    const softmaxCpu0 = process.cpuUsage();
    for (const { c, i } of softmaxCells) {
      const r = await runProbe(trainSplit, testSplit, selOf(c), { probe: 'softmax', l2, linalg, classes, ridgeGram: gram });
      ours.set(i, { seconds: r.seconds, accuracy: r.accuracy, iterations: Number(r.hyper.iterations) });
      softmaxSeconds += r.seconds;
      note(`softmax ${ours.size}/${softmaxCells.length} k=${c.indices.length}: ${r.seconds.toFixed(1)} s, acc ${r.accuracy.toFixed(4)}, ${String(r.hyper.iterations)} it (${String(r.hyper.stop)}), elapsed ${softmaxSeconds.toFixed(0)} s`);
    }
    gridEstimate = softmaxSeconds;
    if (quick) {
      gridEstimate = 0;
      for (const [i, r] of ours) gridEstimate += cells[i].fraction === 1 ? r.seconds : SEEDS.length * r.seconds;
    }
    markPeak('fixed-λ softmax');
    log(`softmax grid: ${softmaxSeconds.toFixed(1)} s (CPU ${cpuSecs(softmaxCpu0).toFixed(0)} s) for ${ours.size} probes${quick ? `; whole 106-probe grid ESTIMATE (seed 1 × 5) ${gridEstimate.toFixed(0)} s` : ''}`);
    summary.push({ what: `softmax grid, ours${quick ? ' (ESTIMATE: seed 1 ×5)' : ''}`, fixed: gridEstimate });
    const full = ours.get(cells.length - 1);
    if (full) log(`softmax full layer: ${full.seconds.toFixed(1)} s, ${full.iterations} iterations, accuracy ${full.accuracy.toFixed(4)}`);
  }

  // 5b. Softmax over the grid with λ chosen on validation data (same cells as 5).
  const oursAuto = new Map<number, { seconds: number; accuracy: number; iterations: number; l2: number }>();
  let autoEstimate = NaN;
  if (auto && !flag('no-softmax')) {
    let total = 0;
    const cpu0 = process.cpuUsage();
    for (const { c, i } of softmaxCells) {
      const r = await runProbe(trainSplit, testSplit, selOf(c), { probe: 'softmax', l2: 'auto', linalg, classes, ridgeGram: gramH });
      const it = Number(r.hyper.iterations) + Number(r.hyper.validationIterations);
      oursAuto.set(i, { seconds: r.seconds, accuracy: r.accuracy, iterations: it, l2: r.penalty!.l2 });
      total += r.seconds;
      note(`auto softmax ${oursAuto.size}/${softmaxCells.length} k=${c.indices.length}: ${r.seconds.toFixed(1)} s, acc ${r.accuracy.toFixed(4)}, λ ${r.penalty!.l2.toPrecision(3)} (${r.penalty!.curve.l2.length} tried), ${it} it, elapsed ${total.toFixed(0)} s`);
    }
    autoEstimate = total;
    if (quick) {
      autoEstimate = 0;
      for (const [i, r] of oursAuto) autoEstimate += cells[i].fraction === 1 ? r.seconds : SEEDS.length * r.seconds;
    }
    const row = summary.find((r) => r.what.startsWith('softmax grid, ours'));
    if (row) { row.auto = autoEstimate; row.note = 'target auto ≤ 1.5× fixed'; }
    markPeak('auto-λ softmax');
    log(`auto-λ softmax grid: ${total.toFixed(1)} s (CPU ${cpuSecs(cpu0).toFixed(0)} s) for ${oursAuto.size} probes${quick ? `; whole-grid ESTIMATE ${autoEstimate.toFixed(0)} s` : ''} → ${(autoEstimate / gridEstimate).toFixed(2)}× the fixed-λ softmax grid (target ≤ 1.5×)`);
  }

  // 6. The same work in numpy / scikit-learn on the same features exported as .npy.
  const python = !flag('no-python') && hasPythonSklearn();
  if (!python) log('numpy/scikit-learn comparison skipped (no /usr/bin/python3 with numpy + sklearn, or --no-python)');
  const keep = process.argv.includes('--keep') ? arg('keep', '') : '';
  const dir = python ? (keep || mkdtempSync(join(tmpdir(), 'dr-bench-'))) : '';
  const skAll = flag('sklearn-all');
  const skCells = new Set(cells.map((c, i) => ({ c, i })).filter(({ c }) => skAll || ((c.seed === 1 || c.fraction === 1) && skFractions.includes(c.fraction))).map(({ i }) => i));
  // Direct CKA in numpy costs ~1 s per large subset; --quick limits it to fractions ≤ 0.2.
  const ckaMax = quick ? 0.2 : 1;
  if (python) {
    mkdirSync(dir, { recursive: true });
    t0 = performance.now();
    await writeNpy(join(dir, 'train.npy'), train.data, [n, d]);
    await writeNpy(join(dir, 'test.npy'), test.data, [m, d]);
    await writeNpy(join(dir, 'train_labels.npy'), Int32Array.from(trainLabels), [n]);
    await writeNpy(join(dir, 'test_labels.npy'), Int32Array.from(testLabels), [m]);
    const scaleOf = (idx: Int32Array): number => { let t = 0; for (const j of idx) t += gram.moments.gram[j * d + j]; return t / (n * idx.length); };
    writeFileSync(join(dir, 'cells.json'), JSON.stringify(cells.map((c, i) => ({
      fraction: c.fraction, seed: c.seed, indices: Array.from(c.indices), softmax: skCells.has(i),
      ridge_grid: relativeL2Grid(PROBE_DEFAULTS.ridgeExponents, scaleOf(c.indices)), softmax_grid: relativeL2Grid(PROBE_DEFAULTS.softmaxExponents, scaleOf(c.indices)),
    }))));
    const plan = gramH?.holdout?.plan;
    if (plan?.used) writeFileSync(join(dir, 'split.json'), JSON.stringify({ fit: Array.from(plan.fit), val: Array.from(plan.val), patience: PROBE_DEFAULTS.softmaxSearch.patience, stride: PROBE_DEFAULTS.softmaxSearch.stride, smoothing: PROBE_DEFAULTS.smoothing }));
    note(`exported .npy to ${dir} in ${secs(t0).toFixed(1)} s`);
    const py = runPython(dir, ['--ridge', '--cka', '--cka-max-fraction', String(ckaMax)], l2);
    if (py?.ridge) {
      const diffs = py.ridge.accuracy.map((a: number, i: number) => Math.abs(a - ridgeAcc[i]));
      summary.push({ what: 'ridge grid, numpy', fixed: py.ridge.seconds });
      log(`numpy ridge grid: ${py.ridge.seconds.toFixed(1)} s (Gram ${py.ridge.gram_seconds.toFixed(1)} s, CPU ${py.ridge.cpu.toFixed(1)} s) → numpy/ours wall ${(py.ridge.seconds / ridgeSeconds).toFixed(2)}, CPU ${(py.ridge.cpu / ridgeCpu).toFixed(2)}; accuracy max |Δ| ${(100 * Math.max(...diffs)).toFixed(2)} points over ${diffs.length} probes`);
    }
    if (py?.cka_part_whole) {
      const pw = py.cka_part_whole;
      const ss = py.cka_subset_subset;
      const dPw = Math.max(...pw.values.map((v: number, j: number) => Math.abs(v - partWhole[pw.cells[j]])));
      const pairIndex = new Map(pairKeys.map((key, j) => [key, j]));
      const dSs = Math.max(...ss.values.map((v: number, j: number) => Math.abs(v - subsetPairs[pairIndex.get(`${ss.pairs[j][0]}-${ss.pairs[j][1]}`)!])));
      log(`numpy direct CKA (${pw.values.length} part-vs-whole, ${ss.values.length} subset pairs${ckaMax < 1 ? `, fractions ≤ ${ckaMax} only` : ''}): ${(pw.seconds + ss.seconds).toFixed(1)} s; max |Δ| vs ours ${dPw.toExponential(2)} / ${dSs.toExponential(2)} (target ≤ 1e-5)`);
    }
  }

  // 6b. numpy's tuned ridge protocol (same split, grids and tie rule).
  if (python && auto && gramH?.holdout?.plan.used) {
    const py = runPython(dir, ['--ridge-auto'], l2);
    if (py?.ridge_auto) {
      const r = py.ridge_auto;
      const diffs = r.accuracy.map((a: number, i: number) => Math.abs(a - ridgeAuto.accuracy[i]));
      const sameL2 = r.l2.filter((v: number, i: number) => Math.abs(v - ridgeAuto.l2[i]) <= 1e-9 * v).length;
      const row = summary.find((x) => x.what === 'ridge grid, numpy');
      if (row) row.auto = r.seconds; else summary.push({ what: 'ridge grid, numpy', auto: r.seconds });
      log(`numpy tuned ridge grid: ${r.seconds.toFixed(1)} s (Grams ${r.gram_seconds.toFixed(1)} s, CPU ${r.cpu.toFixed(1)} s) vs ours ${ridgeAuto.seconds.toFixed(1)} s → numpy/ours wall ${(r.seconds / ridgeAuto.seconds).toFixed(2)}, CPU ${(r.cpu / ridgeAuto.cpu).toFixed(2)}; same λ chosen on ${sameL2}/${r.l2.length} probes, accuracy max |Δ| ${(100 * Math.max(...diffs)).toFixed(2)} points`);
    }
  }

  // 7. scikit-learn LogisticRegression(lbfgs) on the same cells, smallest first.
  const sk = python && ours.size ? runPython(dir, ['--softmax'], l2) : undefined;
  if (sk?.softmax?.length) {
    let skSum = 0, ourSum = 0, skCpu = 0, maxDiff = 0;
    for (const r of sk.softmax) {
      const o = ours.get(r.cell);
      const c = cells[r.cell];
      log(`  cell f=${c.fraction} seed=${c.seed} k=${r.k}: sklearn ${r.seconds.toFixed(1)} s (CPU ${r.cpu.toFixed(1)} s, ${r.iterations} it) acc ${r.accuracy.toFixed(4)} | ours ${o ? `${o.seconds.toFixed(1)} s (${o.iterations} it) acc ${o.accuracy.toFixed(4)} → ×${(r.seconds / o.seconds).toFixed(1)}` : 'not run'}`);
      if (o) { skSum += r.seconds; skCpu += r.cpu; ourSum += o.seconds; maxDiff = Math.max(maxDiff, Math.abs(r.accuracy - o.accuracy)); }
    }
    log(`softmax vs scikit-learn on ${sk.softmax.length} common cells: ${skSum.toFixed(0)} s vs ${ourSum.toFixed(0)} s → ${(skSum / ourSum).toFixed(1)}× faster (wall; sklearn CPU ${skCpu.toFixed(0)} s), max |Δacc| ${(100 * maxDiff).toFixed(2)} points (targets ≥ 3×, ≤ 0.3)`);
    const skGrid = skAll ? skSum : cells.reduce((s2, c) => s2 + secondsInK(sk.softmax.map((r: any) => [r.k, r.seconds]))(c.indices.length), 0);
    const how = skAll ? 'measured on every cell' : `ESTIMATE, piecewise linear in k through ${sk.softmax.length} measured cells (k = ${sk.softmax.map((r: any) => r.k).join(', ')})`;
    summary.push({ what: 'softmax grid, scikit-learn', fixed: skGrid, note: how });
    log(`scikit-learn fixed-λ whole grid (${how}): ${skGrid.toFixed(0)} s → ratio to ours ${(skGrid / gridEstimate).toFixed(1)}×`);
  }
  // 7b. scikit-learn's tuned softmax protocol on the same cells (warm-started C walk on the same split).
  const skAuto = python && oursAuto.size && gramH?.holdout?.plan.used ? runPython(dir, ['--softmax-auto'], l2) : undefined;
  if (skAuto?.softmax_auto?.length) {
    let skSum = 0, ourSum = 0, maxDiff = 0;
    for (const r of skAuto.softmax_auto) {
      const o = oursAuto.get(r.cell);
      const c = cells[r.cell];
      log(`  tuned cell f=${c.fraction} seed=${c.seed} k=${r.k}: sklearn ${r.seconds.toFixed(1)} s (${r.iterations} it) λ ${r.l2.toPrecision(3)} acc ${r.accuracy.toFixed(4)} | ours ${o ? `${o.seconds.toFixed(1)} s (${o.iterations} it) λ ${o.l2.toPrecision(3)} acc ${o.accuracy.toFixed(4)} → ×${(r.seconds / o.seconds).toFixed(1)}` : 'not run'}`);
      if (o) { skSum += r.seconds; ourSum += o.seconds; maxDiff = Math.max(maxDiff, Math.abs(r.accuracy - o.accuracy)); }
    }
    log(`tuned softmax vs scikit-learn's tuned protocol on ${skAuto.softmax_auto.length} common cells: ${skSum.toFixed(0)} s vs ${ourSum.toFixed(0)} s → ${(skSum / ourSum).toFixed(1)}× (wall), max |Δacc| ${(100 * maxDiff).toFixed(2)} points`);
    const skGrid = skAll ? skSum : cells.reduce((s2, c) => s2 + secondsInK(skAuto.softmax_auto.map((r: any) => [r.k, r.seconds]))(c.indices.length), 0);
    const how = skAll ? 'measured on every cell' : `ESTIMATE, piecewise linear in k through ${skAuto.softmax_auto.length} measured cells`;
    const row = summary.find((x) => x.what === 'softmax grid, scikit-learn');
    if (row) row.auto = skGrid; else summary.push({ what: 'softmax grid, scikit-learn', auto: skGrid, note: how });
    log(`scikit-learn tuned whole grid (${how}): ${skGrid.toFixed(0)} s → ratio to our auto-λ grid ${(skGrid / autoEstimate).toFixed(1)}×`);
  }
  markPeak('numpy / scikit-learn export');
  const peak = process.resourceUsage().maxRSS * 1024;
  printSummary(summary);
  const featureBytes = (n + m) * d * 4;
  log(`peak RSS ${(peak / 2 ** 30).toFixed(2)} GiB = ${(peak / featureBytes).toFixed(2)}× the feature bytes (train + test, ${(featureBytes / 2 ** 30).toFixed(2)} GiB; target ≤ 1.3×); above the ${(startRss / 2 ** 20).toFixed(0)} MiB before any data: ${((peak - startRss) / featureBytes).toFixed(2)}× (each softmax probe on a strict subset gathers X_S, an n×k copy; the full layer reads the training block in place)`);
  log(`peak RSS as each phase ended: ${phasePeaks.map(([phase, bytes]) => `${phase} ${(bytes / featureBytes).toFixed(2)}×`).join(', ')} (× the feature bytes)`);
  if (python && !keep) rmSync(dir, { recursive: true, force: true });
  log(`load average at the end: ${loadavg().map((v) => v.toFixed(1)).join(' ')} (2 cores shared with other jobs: wall times are inflated accordingly)`);
  log(`per-fraction mean ridge accuracy: ${FIG1_FRACTIONS.map((f) => `${f}:${mean(cells.map((c, i) => (c.fraction === f ? ridgeAcc[i] : NaN)).filter((v) => !Number.isNaN(v))).toFixed(3)}`).join(' ')}`);
  await linalg.dispose?.();
}

/** The closing side-by-side table: fixed-λ vs auto-λ seconds per protocol, and scikit-learn / numpy over ours. */
function printSummary(rows: SummaryRow[]): void {
  const f = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? '—' : `${v.toFixed(1)} s`);
  const ratio = (a: number | undefined, b: number | undefined): string => (a !== undefined && b !== undefined && Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—');
  log('summary (wall seconds on this machine; ESTIMATE marks extrapolated values):');
  log(`  ${'grid'.padEnd(44)} ${'fixed λ'.padStart(10)} ${'auto λ'.padStart(10)} ${'auto/fixed'.padStart(10)}`);
  for (const r of rows) log(`  ${r.what.padEnd(44)} ${f(r.fixed).padStart(10)} ${f(r.auto).padStart(10)} ${ratio(r.auto, r.fixed).padStart(10)}${r.note ? `   (${r.note})` : ''}`);
  for (const [peer, ours] of [['ridge grid, numpy', 'ridge grid, ours'], ['softmax grid, scikit-learn', 'softmax grid, ours']]) {
    const p = rows.find((r) => r.what === peer);
    const o = rows.find((r) => r.what.startsWith(ours));
    if (p && o) log(`  ${peer} / ours: fixed λ ${ratio(p.fixed, o.fixed)}, tuned (auto λ) ${ratio(p.auto, o.auto)}`);
  }
}

main().catch((err) => { process.stderr.write(`bench:analysis failed: ${err?.stack ?? err}\n`); process.exit(1); });
