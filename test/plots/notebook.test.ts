import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as aq from 'arquero';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PLOTLY_FILE } from '../../src/plots/html.js';
import { experimentSummaryHtml, notebookProgress, resetNotebookState, showFigure, showTable, tableHtml, type NotebookSink } from '../../src/plots/notebook.js';

function recorder(withBundle: boolean): { sink: NotebookSink; html: string[]; bundles: Record<string, unknown>[] } {
  const html: string[] = [];
  const bundles: Record<string, unknown>[] = [];
  const sink: NotebookSink = { html: (s) => html.push(s) };
  if (withBundle) sink.bundle = (d) => bundles.push(d);
  return { sink, html, bundles };
}

const spec = { data: [{ type: 'scatter', x: [1], y: [NaN] }], layout: { title: { text: 'T' } } };

test('showFigure sends one self-sufficient output per figure: plotly JSON, HTML with the PNG and a trust note, text', () => {
  resetNotebookState();
  const dir = mkdtempSync(join(tmpdir(), 'dr-nb-'));
  try {
    const r = recorder(true);
    const png = new Uint8Array([137, 80, 78, 71]);
    showFigure(spec, { sink: r.sink, png, dir });
    showFigure(spec, { sink: r.sink, png, dir });
    assert.equal(r.html.length, 0, 'no separate plotly.js output');
    assert.equal(r.bundles.length, 2);
    const b = r.bundles[0] as any;
    assert.deepEqual(Object.keys(b).sort(), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
    assert.deepEqual(b['application/vnd.plotly.v1+json'], { data: [{ type: 'scatter', x: [1], y: [null] }], layout: { title: { text: 'T' } } });
    assert.match(b['text/html'], /class="dr-figure"/);
    assert.ok(b['text/html'].includes(`src="data:image/png;base64,${Buffer.from(png).toString('base64')}"`));
    assert.ok(b['text/html'].includes('Trust Notebook') && b['text/html'].includes('File &gt; Trust Notebook'));
    assert.ok(!b['text/html'].includes('window.Plotly = Plotly'), 'the bundle is not inlined');
    assert.ok(b['text/html'].length < 5000);
    assert.notEqual(b['text/html'], (r.bundles[1] as any)['text/html'], 'each figure gets its own div id');
    assert.ok(existsSync(join(dir, PLOTLY_FILE)), 'plotly.min.js written beside the notebook');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('without multi-MIME support the figure goes out as text/html only; without a PNG a note says why', () => {
  resetNotebookState();
  const dir = mkdtempSync(join(tmpdir(), 'dr-nb-'));
  try {
    const r = recorder(false);
    showFigure(spec, { sink: r.sink, png: false, dir });
    assert.equal(r.html.length, 1);
    assert.match(r.html[0], /Plotly\.newPlot/);
    assert.match(r.html[0], /No static image/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('notebookProgress draws one bar redrawn with a carriage return and ends the line when done', () => {
  const out: string[] = [];
  const sink = notebookProgress(0, (s) => out.push(s));
  sink({ label: 'probes', done: 1, total: 4, rate: 2, etaSeconds: 1.5, elapsedSeconds: 0.5, unit: 'probes' });
  sink({ label: 'probes', done: 4, total: 4, rate: 2, etaSeconds: 0, elapsedSeconds: 2, unit: 'probes' });
  assert.equal(out[0], '\r[######..................] probes 1/4 probes (2.00 probes/s, ETA 1.5s)');
  assert.ok(out[1].startsWith('\r[########################] probes 4/4') && out[1].endsWith('\n'));
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
