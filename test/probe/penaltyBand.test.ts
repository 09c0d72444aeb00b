// The ridge validation curve from one band reduction (src/probe/bandReduce.ts, the default from
// 49 features up to one fewer than the fit rows) against the exact eigen-based curve computed by numpy (test/fixtures/probe/ridge_curve.py
// through /usr/bin/python3; skipped with a message without numpy): same accuracies, same chosen λ.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chooseOnCurve, ridgeValidationCurve } from '../../src/probe/penalty.js';
import { centredMoments } from '../../src/probe/gram.js';
import { bandReduce, solveShiftedBand } from '../../src/probe/bandReduce.js';
import { PROBE_DEFAULTS, relativeL2Grid } from '../../src/probe/defaults.js';
import { meanVariance } from '../../src/probe/validation.js';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { writeNpy } from '../../src/cache/npy.js';
import { packageRoot } from '../../src/util/paths.js';

const PY = '/usr/bin/python3';
const haveNumpy = spawnSync(PY, ['-c', 'import numpy'], { encoding: 'utf8' }).status === 0;
const skip = haveNumpy ? false : `${PY} with numpy not found (apt-get install python3-numpy)`;

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
    const band = await ridgeValidationCurve(moments, val, valLabels, grid, { standardize, method: 'band' });
    const eigen = await ridgeValidationCurve(moments, val, valLabels, grid, { standardize, method: 'eigen' });
    // Where the band path is the default (k < n), every shifted band must factor: no silent fallback.
    if (d < nFit && !standardize) {
      const red = await bandReduce(moments.gram, d);
      for (const l of grid) assert.ok(solveShiftedBand(red, new Float64Array(d * 10).fill(1), 10, nFit * l), `B + nλI not positive definite at λ=${l}`);
    }
    return { grid, ref, band, eigen, nVal };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const numpyCases = [
  { name: 'k = 448 < n = 1500', nFit: 1500, nVal: 300, d: 448, seed: 3, standardize: false },
  { name: 'k = 512 > n = 400 (singular Gram: the eigendecomposition fallback)', nFit: 400, nVal: 200, d: 512, seed: 4, standardize: false },
  { name: 'k = 400, ReLU features, standardised', nFit: 1200, nVal: 250, d: 400, seed: 7, standardize: true, nonNegative: true, rank: 40 },
];
for (const c of numpyCases) {
  test(`${c.name}: the band-reduction curve equals numpy's exact eigen curve, and so does the chosen λ`, { skip }, async () => {
    const { grid, ref, band, eigen, nVal } = await compareWithNumpy(c);
    // Every λ agrees with numpy to one held-out row (an arg-max tie may round either way).
    for (let i = 0; i < grid.length; i++) {
      assert.ok(Math.abs(band[i] - ref.accuracy[i]) <= 1 / nVal + 1e-12, `band, λ=${grid[i]}: ours ${band[i]} vs numpy ${ref.accuracy[i]}`);
      assert.ok(Math.abs(eigen[i] - ref.accuracy[i]) <= 1 / nVal + 1e-12, `eigen, λ=${grid[i]}: ours ${eigen[i]} vs numpy ${ref.accuracy[i]}`);
    }
    const differ = band.filter((v, i) => v !== ref.accuracy[i]).length;
    console.log(`${c.name}: band curve differs from numpy at ${differ} of ${grid.length} λ; chosen λ index ${chooseOnCurve(band)} (numpy ${ref.chosen})`);
    assert.equal(chooseOnCurve(band), ref.chosen, `chosen λ: band ${grid[chooseOnCurve(band)]}, numpy ${grid[ref.chosen]} (numpy curve ${ref.accuracy.join(' ')})`);
    assert.equal(chooseOnCurve(eigen), ref.chosen);
  });
}
