import { test } from 'node:test';
import assert from 'node:assert/strict';
import { figureHasContent, inspectFigures } from '../../src/plots/chromium.js';

// A DOM as Chromium's --dump-dom prints it after plotly drew two figures and failed a third.
const dom = `<html><body>
<div id="f0" class="dr-figure js-plotly-plot" style="width:10px"><div class="plot-container plotly"><svg class="main-svg">
<g class="scatterlayer mlayer"><g class="trace scatter trace1"><g class="lines"><path class="js-line" d="M1,2L3,4"></path></g>
<g class="points"><path class="point" d="M0,0"></path><path class="point" d="M1,1"></path></g></g></g></svg></div></div>
<div class="dr-figure js-plotly-plot" id="f1"><svg class="main-svg"><g class="heatmaplayer"><g class="hm"><image class="hm" href="x"></image></g></g></svg></div>
<div id="f2" class="dr-figure"></div>
</body></html>`;

test('inspectFigures counts what plotly drew into each dr-figure div', () => {
  const figs = inspectFigures(dom);
  assert.deepEqual(figs.map((f) => f.id), ['f0', 'f1', 'f2']);
  assert.deepEqual({ ...figs[0] }, { id: 'f0', drawn: true, traces: 1, points: 2, lines: 1, heatmaps: 0 });
  assert.ok(figs[1].heatmaps > 0 && figs[1].drawn);
  assert.equal(figs[2].drawn, false);
  assert.deepEqual(figs.map(figureHasContent), [true, true, false]);
});

test('a drawn figure with traces but no marks does not count', () => {
  assert.equal(figureHasContent({ id: 'x', drawn: true, traces: 2, points: 0, lines: 0, heatmaps: 0 }), false);
});

test('inspectFigures skips the static image note beside a figure and counts bar points', () => {
  const page = `<img id="g-png" class="dr-figure-png" src="data:,"><div id="g-note" class="dr-figure-note">Static image</div>
<div id="g" class="dr-figure js-plotly-plot"><svg class="main-svg"><g class="trace bars"><g class="point"><path d="M0,0V5H5Z"></path></g></g></svg></div>`;
  const figs = inspectFigures(page);
  assert.deepEqual(figs.map((f) => f.id), ['g']);
  assert.equal(figureHasContent(figs[0]), true);
});
