import { test } from 'node:test';
import assert from 'node:assert/strict';
import { notebookContext } from '../../src/experiments/notebook.js';
import { defaultGrid } from '../../src/experiments/grids.js';
import { syntheticFeatureSource } from '../../src/experiments/syntheticSource.js';

test('notebookContext: the package grid with the notebook\'s fractions and seeds, the given source, no stderr', async () => {
  const lines: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  (process.stdout as any).write = (s: string) => { lines.push(String(s)); return true; };
  let ctx;
  try {
    ctx = await notebookContext({ source: syntheticFeatureSource({ trainRows: 50, testRows: 20, width: 8 }), seeds: [7], progress: false, workDir: '/tmp/dr-nb-ctx' });
  } finally {
    (process.stdout as any).write = write;
  }
  const grid = defaultGrid(true);
  assert.deepEqual(ctx.grid.fractions, grid.fractions);
  assert.deepEqual(ctx.grid.seeds, [7]);
  assert.equal(ctx.grid.probe, grid.probe, 'the probe is the package default, not a notebook setting');
  assert.equal(ctx.quick, true);
  assert.equal(ctx.source.kind, 'synthetic');
  assert.equal(ctx.progress, false);
  assert.equal(ctx.workDir, '/tmp/dr-nb-ctx');
  assert.match(lines.join(''), /Features: .*Probe .*1 seeds; linear algebra: /);
});
