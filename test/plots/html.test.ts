import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { figureHtml, plotlyBundlePath, plotlyBundleSource, plotlyScriptTag, plotlyVersion, renderHtml, scriptJson, writePlotlyFile } from '../../src/plots/html.js';

const spec = { data: [{ type: 'scatter', x: [1, 2], y: [3, NaN] }], layout: { title: { text: 'a </script><b>' }, width: 300, height: 200 } };

test('renderHtml inlines plotly.js exactly once and loads no script from a server', () => {
  const html = renderHtml([spec, { spec, name: 'second', caption: 'c' }], { title: 'Page <1>' });
  assert.equal(html.match(/data-dr-plotly=/g)?.length, 1);
  assert.equal(html.split('* plotly.js v').length - 1, 1, 'bundle header appears once');
  assert.ok(!/<script[^>]*\bsrc=/i.test(html), 'no <script src=…>');
  assert.ok(!/https?:\/\/cdn/i.test(html.replace(plotlyBundleSource(), '')), 'no CDN address outside the bundle');
  assert.equal(html.match(/class="dr-figure"/g)?.length, 2);
  assert.ok(html.includes('<title>Page &lt;1&gt;</title>'));
  assert.ok(html.includes('<h2>second</h2>'));
});

test('figure script JSON cannot close the script element and maps NaN to null', () => {
  const div = figureHtml(spec, 'f1');
  const scriptBody = div.slice(div.indexOf('<script>') + 8, div.lastIndexOf('</script>'));
  assert.ok(!scriptBody.includes('</script'));
  assert.ok(scriptBody.includes('[3,null]'));
  assert.ok(div.includes('id="f1"'));
  assert.ok(div.includes('width:300px'));
  assert.equal(scriptJson({ a: new Float64Array([1.5, Infinity]) }), '{"a":[1.5,null]}');
});

test('the bundle is the minified plotly.js from plotly.js-dist-min (under 6 MB) and defines window.Plotly', () => {
  assert.match(plotlyVersion(), /^\d+\.\d+\.\d+/);
  assert.ok(plotlyBundleSource().includes('window.Plotly = Plotly'));
  assert.ok(statSync(plotlyBundlePath()).size < 6e6);
});

test('a page can load plotly.js by URL instead of inlining it', () => {
  const html = renderHtml(spec, { title: 't', plotlySrc: '../plotly.min.js' });
  assert.ok(html.includes('src="../plotly.min.js"'));
  assert.ok(html.length < 20_000, `page without the bundle is small (${html.length} chars)`);
  assert.equal(plotlyScriptTag({ src: 'a"b' }).includes('src="a&quot;b"'), true);
});

test('writePlotlyFile writes one copy and leaves an identical one alone', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-plotly-'));
  try {
    const f = writePlotlyFile(dir);
    assert.equal(statSync(f).size, statSync(plotlyBundlePath()).size);
    const mtime = statSync(f).mtimeMs;
    writePlotlyFile(dir);
    assert.equal(statSync(f).mtimeMs, mtime);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a figure with a static image keeps it visible until the live plot draws, and says how to trust', () => {
  const html = figureHtml(spec, 'f2', { png: 'data:image/png;base64,AAAA', plotlySrc: 'plotly.min.js', fallbackNote: 'trust me' });
  assert.match(html, /<img id="f2-png" class="dr-figure-png" src="data:image\/png;base64,AAAA"/);
  assert.match(html, /<div id="f2-note"[^>]*>trust me<\/div>/);
  assert.match(html, /<div id="f2" class="dr-figure" style="[^"]*display:none"/);
  assert.ok(html.includes('var src="plotly.min.js"'));
});

test('renderHtml is deterministic', () => {
  assert.equal(renderHtml(spec, { title: 't' }), renderHtml(spec, { title: 't' }));
});
