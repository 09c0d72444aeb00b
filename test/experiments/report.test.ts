import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { htmlTable, renderReport } from '../../src/experiments/report.js';
import type { ExperimentOutput } from '../../src/experiments/types.js';

const output: ExperimentOutput = {
  id: 'E1', title: 'Random <subsets>', paperClaim: 'A claim & more',
  tables: { dr: aq.from([{ model: 'm', dataset: 'x', selection: 'random', estimator: 'nearest', delta: 0.9, dr: 0.8, fraction: 0.2, fullAccuracy: 0.9 }]) },
  figures: [{ name: 'f', caption: 'cap', spec: { data: [{ type: 'scatter', x: [1], y: [NaN] }], layout: {} } }],
  verdicts: [
    { claim: 'yes claim', holds: true, detail: '1 vs 2' },
    { claim: 'no claim', holds: false, detail: '3 < 4' },
    { claim: 'open claim', holds: null, detail: '' },
  ],
  notes: ['a note'], seconds: 1.5,
};

test('report: one section per experiment with claim, verdict words, figure, DR table; HTML escaped; plotly by URL', () => {
  const html = renderReport([output], {
    source: 'test source', sourceKind: 'synthetic', probe: 'ridge', seeds: [1], fractions: [0.5], quick: true, seconds: 2,
    startedAt: 'now', machine: 'test', sourceNotes: ['src note'], failures: [{ id: 'E2', error: 'boom' }], files: { E1: ['E1/dr.csv'] },
  });
  assert.match(html, /<h2 id="E1">E1: Random &lt;subsets&gt;<\/h2>/);
  assert.match(html, /A claim &amp; more/);
  assert.match(html, /1 claims hold, 1 do not, 1 undecided/);
  assert.match(html, /class="yes">holds/);
  assert.match(html, /class="no">does not hold/);
  assert.match(html, /<div id="fig0" class="dr-figure"/);
  assert.match(html, /window\.Plotly\.newPlot/);
  assert.match(html, /"y":\[null\]/);
  assert.match(html, /E2 failed: boom/);
  assert.match(html, /Synthetic features/);
  assert.match(html, /href="E1\/dr.csv"/);
  assert.ok(html.includes('src="plotly.min.js"') && !html.includes('plotly.js v'), 'plotly.js loaded from the shared copy beside the report, not inlined');
  assert.ok(!/<script src=/.test(html), 'no external scripts');
});

test('htmlTable limits rows and formats numbers', () => {
  const t = aq.table({ a: [1, 2.5, 3], b: ['x', 'y', 'z'] });
  const html = htmlTable(t, 2);
  assert.match(html, /<td>2.5000<\/td>/);
  assert.match(html, /1 more rows/);
});
