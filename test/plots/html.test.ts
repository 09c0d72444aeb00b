import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureHtml, plotlyBundleSource, plotlyVersion, renderHtml, scriptJson } from '../../src/plots/html.js';

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

test('the bundle is plotly.js from plotly.js-dist', () => {
  assert.match(plotlyVersion(), /^\d+\.\d+\.\d+/);
  assert.ok(plotlyBundleSource().includes('window.Plotly = Plotly'));
});

test('renderHtml is deterministic', () => {
  assert.equal(renderHtml(spec, { title: 't' }), renderHtml(spec, { title: 't' }));
});
