import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { syntheticFeatureSource } from '../../src/experiments/syntheticSource.js';
import { gridDeltas } from '../../src/experiments/grids.js';
import { EXPERIMENT_IDS, type ExperimentContext } from '../../src/experiments/types.js';

function context(workDir: string): ExperimentContext {
  return {
    source: syntheticFeatureSource({ trainRows: 200, testRows: 100, width: 16 }),
    grid: { fractions: [0.1, 0.25, 0.5], seeds: [1, 2], probe: 'ridge', deltas: gridDeltas(), ckaRows: 100 },
    quick: true, linalg: referenceLinalg, workDir, progress: false, log: () => {},
  };
}

test('every experiment runs on synthetic stand-ins and returns tables, figures and verdicts', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-exp-'));
  try {
    const ctx = context(dir);
    for (const id of EXPERIMENT_IDS) {
      const out = await EXPERIMENTS[id](ctx);
      assert.equal(out.id, id);
      assert.ok(out.paperClaim.length > 20, id);
      assert.ok(Object.keys(out.tables).length > 0, id);
      assert.ok(out.figures.length > 0, `${id}: no figure`);
      for (const f of out.figures) assert.ok(Array.isArray(f.spec.data) && f.spec.data.length > 0, `${id}/${f.name}: empty figure`);
      assert.ok(out.verdicts.length > 0, `${id}: no verdict`);
      for (const v of out.verdicts) assert.ok(v.holds === null || typeof v.holds === 'boolean');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('E1 tables: the full layer once, seeds per fraction, DR for every δ, estimator and model × task', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-exp-'));
  try {
    const out = await EXPERIMENTS.E1(context(dir));
    const results = out.tables.results.objects() as any[];
    // 2 models × 4 tasks? the synthetic source offers digits, digits-10shot, fashion (main tasks) → 3 tasks
    assert.equal(results.length, 2 * 3 * (3 * 2 + 1));
    const dr = out.tables.dr.objects() as any[];
    assert.equal(dr.length, 2 * 3 * 2 * gridDeltas().length);
    const curve = (out.tables.curves.objects() as any[]).filter((r) => r.model === 'resnet' && r.dataset === 'digits');
    assert.deepEqual(curve.map((r) => r.fraction), [0.1, 0.25, 0.5, 1]);
    assert.deepEqual(curve.map((r) => r.runs), [2, 2, 2, 1]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
