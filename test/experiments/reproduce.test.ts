import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARROW_ONLY_COLUMNS, reproduce } from '../../src/experiments/reproduce.js';
import { syntheticFeatureSource } from '../../src/experiments/syntheticSource.js';
import { readArrowTable } from '../../src/sweep/arrowIo.js';

test('reproduce writes tables (Arrow + CSV), figure pages, summary.json and report.html, and resumes sweeps', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-repro-'));
  try {
    const source = syntheticFeatureSource({ trainRows: 200, testRows: 100, width: 16 });
    const opts = { experiments: ['E1', 'E8'] as const, quick: true, out: dir, source, fractions: [0.25, 0.5], seeds: [1, 2], progress: false as const, log: () => {}, png: false };
    const r = await reproduce({ ...opts, experiments: [...opts.experiments] });
    assert.equal(r.failures.length, 0);
    for (const f of ['E1/results.arrow', 'E1/results.csv', 'E1/dr.csv', 'E1/figures.html', 'E8/fairness.csv', 'summary.json', 'report.html']) {
      assert.ok(existsSync(join(dir, f)), f);
    }
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.deepEqual(summary.experiments.map((e: any) => e.id), ['E1', 'E8']);
    assert.equal(summary.grid.probe, 'ridge');
    const report = readFileSync(join(dir, 'report.html'), 'utf8');
    assert.match(report, /id="E1"/);
    assert.match(report, /id="E8"/);
    // One shared minified plotly.js per run, loaded by URL from the report and every figure page.
    assert.ok(existsSync(join(dir, 'plotly.min.js')));
    assert.ok(readFileSync(join(dir, 'E1', 'figures.html'), 'utf8').includes('src="../plotly.min.js"'));
    assert.equal(readArrowTable(join(dir, 'E1', 'results.arrow')).numRows(), 2 * 3 * (2 * 2 + 1));
    // The CSV holds the scalar columns; list, JSON and bit-packed columns stay in the Arrow file.
    const csvHeader = readFileSync(join(dir, 'E1', 'results.csv'), 'utf8').split('\n')[0].split(',');
    const arrowColumns = readArrowTable(join(dir, 'E1', 'results.arrow')).columnNames();
    assert.deepEqual(csvHeader, arrowColumns.filter((c) => !ARROW_ONLY_COLUMNS.includes(c)));
    for (const c of ARROW_ONLY_COLUMNS) assert.ok(arrowColumns.includes(c), c);
    // a second run finds every sweep cell done
    const again = await reproduce({ ...opts, experiments: ['E1'] });
    assert.equal(again.failures.length, 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
