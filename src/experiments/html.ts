import { escapeHtml } from '../util/html.js';
import { figureHtml, PLOTLY_FILE, plotlyScriptTag, renderHtml } from '../plots/index.js';
import type { FigureSpec } from './types.js';

export { escapeHtml };

/** A figure's div and drawing script (src/plots `figureHtml`; the page loads plotly.js once in its head). */
export function figureDiv(id: string, spec: FigureSpec): string {
  return figureHtml(spec, id);
}

/**
 * A complete HTML page loading plotly.js once from `plotlySrc` (default `plotly.min.js` beside the page:
 * a results folder holds one shared copy, see `writePlotlyFile`); `body` may use {@link figureDiv}.
 */
export function htmlPage(title: string, body: string, css = '', plotlySrc: string = PLOTLY_FILE): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em}h2{margin-top:2.2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
.yes{color:#0a7a20;font-weight:bold}.no{color:#b00020;font-weight:bold}.undecided{color:#777;font-weight:bold}
.claim{background:#f5f5f5;border-left:4px solid #888;padding:.5em .8em}.note{color:#555;font-size:.92em}
.dr-figure{margin:1em 0}
${css}
</style>
${plotlyScriptTag({ src: plotlySrc })}
</head><body>
${body}
</body></html>
`;
}

/**
 * A page (src/plots `renderHtml`) showing `figures` one below the other with captions, loading plotly.js
 * from `plotlySrc` (default `../plotly.min.js`: an experiment folder inside a results folder).
 */
export function figuresPage(title: string, figures: ReadonlyArray<{ name: string; caption: string; spec: FigureSpec }>, plotlySrc = `../${PLOTLY_FILE}`): string {
  return renderHtml(figures.map((f) => ({ spec: f.spec, name: f.name, caption: f.caption })), { title, plotlySrc });
}
