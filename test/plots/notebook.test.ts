import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { experimentSummaryHtml, resetNotebookState, showFigure, showTable, tableHtml, type NotebookSink } from '../../src/plots/notebook.js';

function recorder(withBundle: boolean): { sink: NotebookSink; html: string[]; bundles: Record<string, unknown>[] } {
  const html: string[] = [];
  const bundles: Record<string, unknown>[] = [];
  const sink: NotebookSink = { html: (s) => html.push(s) };
  if (withBundle) sink.bundle = (d) => bundles.push(d);
  return { sink, html, bundles };
}

const spec = { data: [{ type: 'scatter', x: [1], y: [NaN] }], layout: { title: { text: 'T' } } };

test('showFigure sends the plotly bundle once per kernel, then html + plotly JSON in one output', () => {
  resetNotebookState();
  const r = recorder(true);
  showFigure(spec, { sink: r.sink });
  showFigure(spec, { sink: r.sink });
  assert.equal(r.html.length, 1);
  assert.match(r.html[0], /^<script data-dr-plotly=/);
  assert.equal(r.bundles.length, 2);
  const b = r.bundles[0] as any;
  assert.deepEqual(Object.keys(b).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
  assert.deepEqual(b['application/vnd.plotly.v1+json'], { data: [{ type: 'scatter', x: [1], y: [null] }], layout: { title: { text: 'T' } } });
  assert.match(b['text/html'], /class="dr-figure"/);
  assert.notEqual((r.bundles[0] as any)['text/html'], (r.bundles[1] as any)['text/html'], 'each figure gets its own div id');
});

test('without multi-MIME support the figure goes out as text/html only', () => {
  resetNotebookState();
  const r = recorder(false);
  showFigure(spec, { sink: r.sink });
  assert.equal(r.html.length, 2);
  assert.match(r.html[1], /Plotly\.newPlot/);
});

test('outside a tslab kernel the display helpers say so', () => {
  assert.throws(() => showFigure(spec), /not running inside a tslab kernel/);
  assert.throws(() => showTable([]), /tslab/);
});

test('tableHtml escapes text, rounds numbers, abbreviates lists and limits rows', () => {
  const t = aq.table({ name: ['<a>', 'b', 'c'], v: [0.123456789, 2, NaN], list: [[1, 2, 3, 4, 5, 6, 7], [], [0.5]] });
  const html = tableHtml(t, { limit: 2 });
  assert.ok(html.includes('&lt;a&gt;'));
  assert.ok(html.includes('<td>0.1235</td>'));
  assert.ok(html.includes('[1, 2, 3, 4, 5, 6, … (7)]'));
  assert.ok(html.includes('1 more row(s) of 3'));
  assert.ok(!html.includes('<td>c</td>'));
  assert.ok(tableHtml([{ a: 1, b: 2 }], { columns: ['b'] }).includes('<th>b</th>'));
  assert.ok(!tableHtml([{ a: 1, b: 2 }], { columns: ['b'] }).includes('<th>a</th>'));
  assert.equal((tableHtml([{ d: 0.9 }, { d: 0.5 }], { where: { d: 0.9 } }).match(/<tr>/g) ?? []).length, 2);
});

test('experimentSummaryHtml shows the claim and a yes / no / undecided verdict per row', () => {
  const html = experimentSummaryHtml({
    id: 'E1', title: 't', paperClaim: 'claim & more', seconds: 1.25, notes: ['n'],
    verdicts: [{ claim: 'c1', holds: true, detail: 'd' }, { claim: 'c2', holds: false, detail: 'd' }, { claim: 'c3', holds: null, detail: 'd' }],
  });
  assert.ok(html.includes('claim &amp; more'));
  assert.ok(html.includes('>yes<') && html.includes('>no<') && html.includes('>undecided<'));
});
