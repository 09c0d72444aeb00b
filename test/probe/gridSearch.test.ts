// The coarse-to-fine ridge λ search (src/probe/gridSearch.ts, ridgeValidationChoice) against the
// exact eigen-based validation curve computed by numpy (test/fixtures/probe/ridge_curve.py through
// /usr/bin/python3; those tests are skipped with a message without numpy).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coarseToFineChoice } from '../../src/probe/gridSearch.js';
import { chooseOnCurve, ridgeValidationChoice } from '../../src/probe/penalty.js';
import { centredMoments } from '../../src/probe/gram.js';
import { PROBE_DEFAULTS, relativeL2Grid } from '../../src/probe/defaults.js';
import { meanVariance } from '../../src/probe/validation.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { writeNpy } from '../../src/cache/npy.js';
import { SeededRng } from '../../src/util/random.js';
import { packageRoot } from '../../src/util/paths.js';

const PY = '/usr/bin/python3';
const haveNumpy = spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const skip = haveNumpy ? false : `${PY} with numpy not found (apt-get install python3-numpy)`;

test('on single-peaked curves the search picks chooseOnCurve\'s index (≥ 97% of cases; else a point within one held-out row of its smoothed best), scoring about half the grid', async () => {
  // Shapes of ridge validation curves: a floor at large λ (a class-mean-like head), a rise, then a
  // plateau or a fall at small λ (over-fitting), each side at least a decade wide; whole rows.
  const rng = new SeededRng(5);
  const size = PROBE_DEFAULTS.ridgeExponents.length;
  let scored = 0;
  let cases = 0;
  let exact = 0;
  for (let c = 0; c < 600; c++) {
    const peak = rng.nextFloat() * (size - 1);
    const rise = 2 + rng.nextFloat() * 6;
    const fall = c % 4 === 0 ? Infinity : 2 + rng.nextFloat() * 10;
    const top = 0.5 + 0.5 * rng.nextFloat();
    const floor = top * rng.nextFloat();
    const low = top * rng.nextFloat();
    const rows = [50, 150, 1000][c % 3];
    const f = (i: number): number => (i <= peak
      ? floor + (top - floor) * Math.exp(-(((i - peak) / rise) ** 2))
      : low + (top - low) * Math.exp(-(((i - peak) / fall) ** 2)));
    const curve = Array.from({ length: size }, (_, i) => Math.round(rows * f(i)) / rows);
    const full = chooseOnCurve(curve);
    let calls = 0;
    const search = await coarseToFineChoice(size, async (i) => { calls++; return curve[i]; });
    const smooth = curve.map((_, i) => { const w = curve.slice(Math.max(0, i - 1), i + 2); return w.reduce((s, v) => s + v, 0) / w.length; });
    if (search.best === full) exact++;
    // A peak narrower than the coarse stride can hide between coarse points only when it rises
    // above its surroundings by about one held-out row: a difference within validation noise.
    assert.ok(smooth[full] - smooth[search.best] <= 1 / rows + 1e-12, `case ${c}: search ${search.best} vs full ${full} on ${curve.join(' ')}`);
    assert.equal(calls, search.indices.length, 'each point is scored once');
    assert.deepEqual(search.scores, search.indices.map((i) => curve[i]));
    scored += calls;
    cases++;
  }
  assert.ok(scored / cases <= 12, `mean points scored ${scored / cases} of ${size}`);
  assert.ok(exact / cases >= 0.97, `exact choice in ${exact} of ${cases} cases`);
  console.log(`grid search: exact choice in ${exact}/${cases} curves, ${(scored / cases).toFixed(1)} of ${size} points scored on average`);
});

test('stride 1 scores the whole grid and equals chooseOnCurve on any curve', async () => {
  const rng = new SeededRng(9);
  for (let c = 0; c < 100; c++) {
    const curve = Array.from({ length: 21 }, () => Math.round(20 * rng.nextFloat()) / 20);
    const search = await coarseToFineChoice(21, async (i) => curve[i], { stride: 1 });
    assert.equal(search.indices.length, 21);
    // Full curve scored: the climb ends at a local maximum of the smoothed curve no worse than its start.
    const smooth = curve.map((_, i) => { const w = curve.slice(Math.max(0, i - 1), i + 2); return w.reduce((s, v) => s + v, 0) / w.length; });
    const b = search.best;
    assert.ok((b === 0 || smooth[b] > smooth[b - 1] + 1e-12) && (b === 20 || smooth[b] >= smooth[b + 1] - 1e-12), `case ${c}: ${b} is not a local maximum`);
  }
});

test('bad search arguments are range errors naming the argument', async () => {
  await assert.rejects(() => coarseToFineChoice(0, async () => 0), /size must be a positive integer/);
  await assert.rejects(() => coarseToFineChoice(5, async () => 0, { stride: 3 }), /stride must be a power of two/);
  await assert.rejects(() => coarseToFineChoice(5, async () => NaN), /score of grid point 0 is NaN/);
});

/** One synthetic fit/held-out division, its numpy curve, and our search on it. */
async function compareWithNumpy(opts: { nFit: number; nVal: number; d: number; seed: number; standardize: boolean; nonNegative?: boolean; rank?: number }) {
  const { nFit, nVal, d, seed, standardize } = opts;
  const all = synthesizeFeatures({ n: nFit + nVal, d, classes: 10, seed, nonNegative: opts.nonNegative, rank: opts.rank });
  const fit = { data: all.features.data.slice(0, nFit * d), n: nFit, d };
  const fitLabels = all.labels.slice(0, nFit);
  const val = { data: all.features.data.slice(nFit * d), n: nVal, d };
  const valLabels = all.labels.slice(nFit);
  const moments = await centredMoments(fit, fitLabels, { classes: 10 });
  const grid = relativeL2Grid(PROBE_DEFAULTS.ridgeExponents, meanVariance(moments, standardize));
  const dir = mkdtempSync(join(tmpdir(), 'dr-ridge-curve-'));
  try {
    await writeNpy(join(dir, 'fit.npy'), fit.data, [nFit, d]);
    await writeNpy(join(dir, 'fit_labels.npy'), fitLabels, [nFit]);
    await writeNpy(join(dir, 'val.npy'), val.data, [nVal, d]);
    await writeNpy(join(dir, 'val_labels.npy'), valLabels, [nVal]);
    const r = spawnSync(PY, [join(packageRoot(), 'test', 'fixtures', 'probe', 'ridge_curve.py'), dir, standardize ? '1' : '0', grid.join(',')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ref = JSON.parse(r.stdout.trim().split('\n').pop()!) as { accuracy: number[]; chosen: number };
    const search = await ridgeValidationChoice(moments, val, valLabels, grid, { standardize, fullCurveMaxK: 0 });
    const full = await ridgeValidationChoice(moments, val, valLabels, grid, { standardize, fullCurveMaxK: Infinity });
    return { grid, ref, search, full, nVal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const numpyCases = [
  { name: 'k = 448 < n = 1500', nFit: 1500, nVal: 300, d: 448, seed: 3, standardize: false },
  { name: 'k = 512 > n = 400 (rank-deficient Gram)', nFit: 400, nVal: 200, d: 512, seed: 4, standardize: false },
  { name: 'k = 400, ReLU features, standardised', nFit: 1200, nVal: 250, d: 400, seed: 7, standardize: true, nonNegative: true, rank: 40 },
];
for (const c of numpyCases) {
  test(`${c.name}: the searched λ and its validation accuracy equal numpy's exact eigen curve's choice`, { skip }, async () => {
    const { grid, ref, search, full, nVal } = await compareWithNumpy(c);
    // Every point scored agrees with numpy (to one held-out row: an arg-max tie may round either way).
    for (let t = 0; t < search.l2.length; t++) {
      const i = grid.indexOf(search.l2[t]);
      assert.ok(Math.abs(search.accuracy[t] - ref.accuracy[i]) <= 1 / nVal + 1e-12, `λ=${search.l2[t]}: ours ${search.accuracy[t]} vs numpy ${ref.accuracy[i]}`);
    }
    for (let i = 0; i < grid.length; i++) assert.ok(Math.abs(full.accuracy[i] - ref.accuracy[i]) <= 1 / nVal + 1e-12, `full curve at λ=${grid[i]}`);
    assert.equal(search.l2[search.best], grid[ref.chosen], `search chose λ=${search.l2[search.best]}, numpy's curve λ=${grid[ref.chosen]} (curve ${ref.accuracy.join(' ')})`);
    assert.equal(full.l2[full.best], grid[ref.chosen]);
    assert.ok(search.l2.length < grid.length, `scored ${search.l2.length} of ${grid.length} points`);
  });
}
