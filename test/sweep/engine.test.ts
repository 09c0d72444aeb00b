import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeFeatures } from '../../src/cache/index.js';
import { evaluateProbe } from '../../src/probe/evaluate.js';
import { gatherColumns } from '../../src/probe/features.js';
import { fitRidgeProbe } from '../../src/probe/ridge.js';
import { randomNeuronIndices } from '../../src/select/index.js';
import { readSweepResults, runSweep, type SweepSplit } from '../../src/sweep/engine.js';
import { runProbe } from '../../src/probe/run.js';
import { writeArrowTable } from '../../src/sweep/arrowIo.js';
import * as aq from 'arquero';
import { decodeCorrect } from '../../src/summary/bootstrap.js';

function splits(): { train: SweepSplit; test: SweepSplit } {
  const g = synthesizeFeatures({ n: 500, d: 24, classes: 4, seed: 11, rank: 6, noise: 0.8 });
  const cut = 350;
  const rows = (a: number, b: number) => ({ data: g.features.data.slice(a * 24, b * 24), n: b - a, d: 24 });
  return {
    train: { features: rows(0, cut), labels: g.labels.slice(0, cut), meta: { modelId: 'synth', datasetId: 'toy' } },
    test: { features: rows(cut, 500), labels: g.labels.slice(cut, 500), meta: { modelId: 'synth', datasetId: 'toy' } },
  };
}

test('sweep cells equal independent direct ridge fits (subset Gram vs shared Gram)', async () => {
  const { train, test: te } = splits();
  const { results, ran } = await runSweep({ train, test: te, fractions: [0.25, 0.5], seeds: [1, 2], probes: ['ridge'], l2: 1e-4, progress: false });
  assert.equal(ran, 5); // 2 fractions × 2 seeds + the full layer once
  const rows = results.objects() as any[];
  assert.deepEqual(rows.map((r) => [r.fraction, r.seed]), [[0.25, 1], [0.25, 2], [0.5, 1], [0.5, 2], [1, null]]);
  for (const r of rows) {
    const idx = r.fraction === 1 ? Int32Array.from({ length: 24 }, (_, i) => i) : randomNeuronIndices(24, r.k, r.seed);
    const model = await fitRidgeProbe(gatherColumns(train.features, idx), train.labels, { classes: 4 });
    const ev = await evaluateProbe(model, gatherColumns(te.features, idx), te.labels);
    assert.ok(Math.abs(ev.accuracy - r.accuracy) < 1e-12, `f=${r.fraction} seed=${r.seed}: ${ev.accuracy} vs ${r.accuracy}`);
    // Per-row outcomes: exactly the rows the direct fit classifies correctly; no dead units in this block.
    const right = Array.from(ev.predictions).flatMap((p, i) => (p === te.labels[i] ? [i] : []));
    assert.deepEqual(Array.from(decodeCorrect(r.correct, te.labels.length)), right);
    assert.deepEqual([r.deadUnits, r.nearConstantUnits], [0, 0]);
    assert.equal(r.perClassAccuracy.length, 4);
    assert.equal(r.model, 'synth');
    assert.equal(r.dataset, 'toy');
    assert.equal(r.k, Math.max(1, Math.floor(r.fraction * 24)));
    assert.equal(r.l2, 1e-4);
    assert.equal(JSON.parse(r.hyper).l2, undefined, 'λ is in the l2 column, not repeated in hyper');
  }
});

test('sweep resumes: finished cells are skipped, new grid points run, the file is rewritten atomically', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-sweep-'));
  try {
    const out = join(dir, 'res.arrow');
    const { train, test: te } = splits();
    const first = await runSweep({ train, test: te, fractions: [0.25], seeds: [1, 2], out, progress: false });
    assert.equal(first.ran, 3);
    assert.ok(existsSync(out));
    const again = await runSweep({ train, test: te, fractions: [0.25], seeds: [1, 2], out, progress: false });
    assert.equal(again.ran, 0);
    assert.equal(again.skipped, 3);
    const more = await runSweep({ train, test: te, fractions: [0.25, 0.5], seeds: [1, 2, 3], selections: ['random', 'first'], out, progress: false });
    // new: 0.25 seed 3, 0.5 seeds 1-3 (random); first: 0.25, 0.5, 1 (seed null)
    assert.equal(more.ran, 7);
    assert.equal(more.skipped, 3);
    const back = readSweepResults(out);
    assert.equal(back.numRows(), 10);
    const firstRows = (back.objects() as any[]).filter((r) => r.selection === 'first');
    assert.ok(firstRows.every((r) => r.seed === null));
    assert.ok(firstRows.every((r) => r.perClassAccuracy instanceof Float64Array && r.perClassAccuracy.length === 4));
    // a different probe setting is a different cell
    const l2 = await runSweep({ train, test: te, fractions: [0.25], seeds: [1], l2: 0.1, out, progress: false });
    assert.equal(l2.ran, 2);
    assert.deepEqual(readdirSync(dir), ['res.arrow']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sweep refuses a results file of another model, and a non-sweep Arrow file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-sweep-'));
  try {
    const out = join(dir, 'res.arrow');
    const { train, test: te } = splits();
    await runSweep({ train, test: te, fractions: [0.5], seeds: [1], out, progress: false });
    await assert.rejects(runSweep({ train, test: te, fractions: [0.5], seeds: [1], out, model: 'other', progress: false }), /holds results of other inputs or settings.*model: "synth" vs "other"/);
    const bogus = join(dir, 'bogus.arrow');
    writeArrowTable(bogus, aq.table({ x: [1, 2] }));
    assert.throws(() => readSweepResults(bogus), /not a sweep results file/);
    await assert.rejects(runSweep({ train, test: te, fractions: [1.5], seeds: [1], progress: false }), /outside \(0, 1\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('sweep runs projections and PCA selections and several probes on one selection', async () => {
  const { train, test: te } = splits();
  const { results } = await runSweep({ train, test: te, fractions: [0.25], seeds: [1], selections: ['pca', 'randproj'], probes: ['ridge', 'softmax'], progress: false });
  const rows = results.objects() as any[];
  assert.equal(rows.length, 8); // (pca 0.25, pca 1, randproj 0.25 seed 1, randproj 1) × 2 probes
  const pcaFull = rows.filter((r) => r.selection === 'pca' && r.fraction === 1);
  // the full PCA basis is a rotation of the layer: ridge on it matches ridge on the raw layer closely
  const { results: raw } = await runSweep({ train, test: te, fractions: [], seeds: [1], probes: ['ridge'], progress: false });
  const rawAcc = (raw.objects() as any[])[0].accuracy;
  assert.ok(Math.abs(pcaFull.find((r) => r.probe === 'ridge').accuracy - rawAcc) <= 0.01);
  for (const r of rows) assert.ok(r.accuracy > 0.25, `${r.selection} ${r.probe} ${r.fraction}: ${r.accuracy}`);
});

test('by default a sweep runs softmax with λ chosen on validation data and records λ and the validation curve', async () => {
  const { train, test: te } = splits();
  const { results } = await runSweep({ train, test: te, fractions: [0.5], seeds: [1], probes: ['ridge', 'softmax'], progress: false });
  const rows = results.objects() as any[];
  assert.equal(rows.length, 4);
  for (const r of rows.filter((x) => x.fraction < 1)) {
    const sel = { method: 'random', k: r.k, d: 24, fraction: r.fraction, indices: randomNeuronIndices(24, r.k, 1) };
    // The shared Gram's hold-out gives the same choice as a probe run on its own.
    const alone = await runProbe(train, te, sel, { probe: r.probe, classes: 4 });
    assert.equal(r.l2, alone.penalty!.l2, `${r.probe} f=${r.fraction}`);
    assert.deepEqual(Array.from(r.validationL2), alone.penalty!.curve.l2);
    assert.deepEqual(Array.from(r.validationAccuracy), alone.penalty!.curve.accuracy);
    assert.ok(Math.abs(r.accuracy - alone.accuracy) <= 1 / te.labels.length, `${r.probe} f=${r.fraction}: ${r.accuracy} vs ${alone.accuracy}`);
    assert.equal(JSON.parse(r.hyper).l2Mode, 'auto');
    // hyper holds the probe's hyper-parameters but for the penalty keys the row's own columns hold.
    const hyper = JSON.parse(r.hyper);
    for (const key of ['l2', 'validationL2', 'validationAccuracy']) assert.ok(!(key in hyper), `${key} repeated in hyper`);
    assert.deepEqual(Object.keys({ ...hyper, l2: r.l2, validationL2: r.validationL2, validationAccuracy: r.validationAccuracy }).sort(), Object.keys(alone.hyper).sort());
  }
  const { results: byDefault } = await runSweep({ train, test: te, fractions: [], seeds: [1], progress: false });
  assert.equal((byDefault.objects() as any[])[0].probe, 'softmax');
});

test('λ and validation-curve columns survive the Arrow round trip, empty for sgd-paper and fixed λ', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-sweep-l2-'));
  try {
    const out = join(dir, 'res.arrow');
    const { train, test: te } = splits();
    await runSweep({ train, test: te, fractions: [0.5], seeds: [1], probes: ['ridge', 'sgd-paper'], sgd: { epochs: 2 }, out, progress: false });
    await runSweep({ train, test: te, fractions: [0.5], seeds: [1], probes: ['ridge'], l2: 1e-3, out, progress: false });
    const rows = readSweepResults(out).objects() as any[];
    assert.equal(rows.length, 6);
    for (const r of rows) {
      const config = JSON.parse(r.config);
      if (r.probe === 'ridge' && config.l2 === 'auto') {
        assert.ok(r.l2 > 0 && r.validationL2.length === r.validationAccuracy.length && r.validationL2.length > 5);
      } else if (r.probe === 'ridge') {
        assert.equal(r.l2, 1e-3);
        assert.equal(r.validationL2.length, 0);
      } else {
        assert.equal(r.l2, null);
        assert.equal(r.validationAccuracy.length, 0);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
