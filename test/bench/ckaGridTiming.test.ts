import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { timeCkaGrid, writeCkaGridCheck } from '../../bench/ckaGridTiming.js';
import { readNpy } from '../../src/cache/npy.js';

test('timeCkaGrid runs the paper grid (22 fractions × 5 seeds + 10 pairs) and reports stage times', async () => {
  const r = await timeCkaGrid({ n: 60, d: 48, seed: 3 });
  assert.equal(r.timing.cells, 22 * 5 + 22 * 10);
  assert.equal(r.partWhole.numRows(), 110);
  assert.equal(r.subsetSubset.numRows(), 220);
  assert.equal(r.timing.n, 60);
  assert.ok(r.timing.buildSeconds >= 0 && r.timing.gridSeconds >= r.timing.partWholeSeconds);
  for (const v of r.partWhole.array('cka') as number[]) assert.ok(v > 0 && v <= 1 + 1e-12);
});

test('writeCkaGridCheck writes features.npy and the cells with their neuron indices', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-cka-check-'));
  try {
    const r = await timeCkaGrid({ n: 20, d: 16, fractions: [0.25], seeds: [1, 2], variant: 'debiased' });
    await writeCkaGridCheck(dir, r.features, [r.partWhole, r.subsetSubset]);
    const cells = JSON.parse(readFileSync(join(dir, 'cells.json'), 'utf8'));
    assert.equal(cells.cells.length, 3);
    assert.equal(cells.cells[0].indicesA.length, 4);
    assert.equal(cells.cells[0].indicesB, null);
    assert.equal(cells.cells[2].variant, 'debiased');
    const npy = await readNpy(join(dir, 'features.npy'));
    assert.deepEqual(npy.shape, [20, 16]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
