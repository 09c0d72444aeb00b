import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { htmlTable, renderReport } from '../../src/experiments/report.js';
import type { ExperimentOutput } from '../../src/experiments/types.js';
import { verdictFromInterval } from '../../src/experiments/claims.js';

const basis = { models: ['m'], tasks: ['x'], probe: 'ridge', trainRows: { x: 900 }, testRows: { x: 100 }, seeds: [1, 2, 3, 4, 5] };
const spec = (claim: string) => ({ claim, paper: '0.93 (Fig. 1)', effectName: 'gap', rule: { direction: 'greater' as const, margin: 0 }, models: ['m'], tasks: ['x'] });

const output: ExperimentOutput = {
  id: 'E1', title: 'Random <subsets>', paperClaim: 'A claim & more',
  tables: { dr: aq.from([{ model: 'm', dataset: 'x', selection: 'random', estimator: 'nearest', delta: 0.9, dr: 0.8, fraction: 0.2, fullAccuracy: 0.9 }]) },
  figures: [{ name: 'f', caption: 'cap', spec: { data: [{ type: 'scatter', x: [1], y: [NaN] }], layout: {} } }],
  verdicts: [
    verdictFromInterval(spec('yes claim'), { estimate: 0.2, lo: 0.1, hi: 0.3, level: 0.95, method: 'm' }, basis, [{ model: 'm', share: 0 }]),
    verdictFromInterval(spec('no claim'), { estimate: -0.2, lo: -0.3, hi: -0.1, level: 0.95, method: 'm' }, basis, [{ model: 'm', share: 0.46 }]),
    verdictFromInterval(spec('open claim'), { estimate: 0.01, lo: -0.1, hi: 0.12, level: 0.95, method: 'm' }, basis, [{ model: 'm', share: 0 }]),
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
  assert.match(html, /1 claims hold, 1 do not hold, 1 are inconclusive/);
  assert.match(html, /class="yes">holds/);
  assert.match(html, /class="no">does not hold/);
  assert.match(html, /class="undecided">inconclusive/);
  // Claims table: the paper's number, ours with the interval, and a diagnosis from the data.
  assert.match(html, /<td>0\.93 \(Fig\. 1\)<\/td><td>gap: <b>-0\.200 \[-0\.300, -0\.100\]<\/b><\/td><td><span class="no">does not hold<\/span><\/td><td>m layer 46% dead; whole interval below 0<\/td>/);
  assert.match(html, /interval \[-0\.100, 0\.120\] contains the margin 0: within seed \/ test-row noise/);
  assert.match(html, /m; ridge; rows train\/test: x 900\/100; 5 seeds \(1…5\)/);
  assert.ok(html.indexOf('<h2>Claims</h2>') < html.indexOf('<h2 id="E1">'), 'claims table before the sections');
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

test('report: dead units per model (rows) and task (columns), most dead first', () => {
  const results = aq.table({ model: ['a', 'a', 'b'], dataset: ['x', 'y', 'x'], d: [10, 10, 4], deadUnits: [1, 2, 2], nearConstantUnits: [0, 0, 0] });
  const html = renderReport([{ ...output, tables: { ...output.tables, results } }], {
    source: 's', sourceKind: 'zoo', probe: 'ridge', seeds: [1], fractions: [0.5], quick: true, seconds: 1,
    startedAt: 'now', machine: 'test', sourceNotes: [], failures: [], files: {},
  });
  assert.match(html, /<tr><th>model<\/th><th>d<\/th><th>x<\/th><th>y<\/th><\/tr><tr><td>b<\/td><td>4<\/td><td>50\.0%<\/td><td>–<\/td><\/tr>\n<tr><td>a<\/td><td>10<\/td><td>10\.0%<\/td><td>20\.0%<\/td><\/tr>/);
});
