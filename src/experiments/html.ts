import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FigureSpec } from './types.js';

let plotlySource: string | undefined;

/** The plotly.js bundle's source (read once from the plotly.js-dist package), for inlining. */
export function plotlyBundle(): string {
  if (plotlySource === undefined) {
    const path = createRequire(import.meta.url).resolve('plotly.js-dist');
    plotlySource = readFileSync(path, 'utf8');
  }
  return plotlySource;
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** JSON safe inside a <script> element (no closing tag sequences). */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)).replace(/</g, '\\u003c');
}

/** A div plus the script drawing `spec` into it with the inlined plotly (static, no mode bar). */
export function figureDiv(id: string, spec: FigureSpec): string {
  return `<div id="${id}" class="figure"></div>\n<script>Plotly.newPlot(${JSON.stringify(id)}, ${scriptJson(spec.data)}, ${scriptJson(spec.layout)}, {displaylogo: false, responsive: true});</script>`;
}

/** A complete HTML page with plotly.js inlined once; `body` may use {@link figureDiv}. */
export function htmlPage(title: string, body: string, css = ''): string {
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.7em}h2{margin-top:2.2em;border-bottom:1px solid #ccc;padding-bottom:.2em}
table{border-collapse:collapse;margin:.6em 0;font-size:.9em}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
.yes{color:#0a7a20;font-weight:bold}.no{color:#b00020;font-weight:bold}.undecided{color:#777;font-weight:bold}
.claim{background:#f5f5f5;border-left:4px solid #888;padding:.5em .8em}.note{color:#555;font-size:.92em}
.figure{margin:1em 0}
${css}
</style>
<script>${plotlyBundle()}</script>
</head><body>
${body}
</body></html>
`;
}

/** A self-contained page showing `figures` one below the other, each with its caption. */
export function figuresPage(title: string, figures: ReadonlyArray<{ name: string; caption: string; spec: FigureSpec }>): string {
  const body = [`<h1>${escapeHtml(title)}</h1>`, ...figures.map((f, i) => `<h3>${escapeHtml(f.name)}</h3><p class="note">${escapeHtml(f.caption)}</p>\n${figureDiv(`fig${i}`, f.spec)}`)].join('\n');
  return htmlPage(title, body);
}
