import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import type { PlotSpec } from './spec.js';

let bundleSource: string | undefined;

/** The plotly.js browser bundle from the `plotly.js-dist` package (read once; ~10 MB of JavaScript). */
export function plotlyBundleSource(): string {
  if (bundleSource === undefined) {
    const path = createRequire(import.meta.url).resolve('plotly.js-dist');
    bundleSource = readFileSync(path, 'utf8');
  }
  return bundleSource;
}

/** The plotly.js version of the inlined bundle (from its header comment), e.g. "4.1.1". */
export function plotlyVersion(): string {
  return /plotly\.js v([0-9][^\s*]*)/.exec(plotlyBundleSource().slice(0, 400))?.[1] ?? 'unknown';
}

/**
 * A `<script>` element defining `window.Plotly` from the inlined bundle. The bundle is wrapped so a
 * page-level `module`/`exports` (present in some front ends) cannot capture it, and any `</script`
 * inside it is escaped so the HTML parser cannot end the element early.
 */
export function plotlyScriptTag(): string {
  const src = plotlyBundleSource().replace(/<\/(script)/gi, '<\\/$1');
  return `<script data-dr-plotly="${plotlyVersion()}">(function(){var module=undefined,exports=undefined;\n${src}\n}).call(window);</script>`;
}

/** JSON safe inside a `<script>` element: `<` escaped, non-finite numbers as null, typed arrays as lists. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (typeof v === 'number' && !Number.isFinite(v)) return null;
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return v;
  }).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * A `div.dr-figure` and the script drawing `spec` into it. The script waits (up to 10 s) for
 * `window.Plotly`, because in notebooks the bundle arrives in an earlier output whose script may
 * still be running. `static` draws a non-interactive figure (for PNG screenshots).
 */
export function figureHtml(spec: PlotSpec, id: string, opts: { static?: boolean } = {}): string {
  const config = opts.static ? { staticPlot: true, displaylogo: false } : { displaylogo: false, responsive: true };
  const w = Number(spec.layout?.width) || 760;
  const h = Number(spec.layout?.height) || 480;
  return `<div id="${escapeHtml(id)}" class="dr-figure" style="width:${w}px;max-width:100%;height:${h}px"></div>\n`
    + `<script>(function(){var spec=${scriptJson(spec)};var tries=0;function draw(){var el=document.getElementById(${JSON.stringify(id)});`
    + `if(window.Plotly&&el){window.Plotly.newPlot(el,spec.data,spec.layout,${JSON.stringify(config)});}else if(tries++<200){setTimeout(draw,50);}}draw();})();</script>`;
}

/** One figure of a page: its spec plus an optional heading and caption. */
export interface PageFigure {
  spec: PlotSpec;
  name?: string;
  caption?: string;
}

/** Options of {@link renderHtml}. */
export interface RenderHtmlOptions {
  title: string;
  /** Non-interactive figures (used for PNG screenshots). */
  static?: boolean;
  /** Extra CSS. */
  css?: string;
}

function asFigures(specs: PlotSpec | ReadonlyArray<PlotSpec | PageFigure>): PageFigure[] {
  const list = Array.isArray(specs) ? specs : [specs as PlotSpec];
  return list.map((s) => ('spec' in s && !('data' in s) ? (s as PageFigure) : { spec: s as PlotSpec }));
}

/**
 * A self-contained HTML page: plotly.js inlined once in the head (no network access at all), then
 * each figure (with its heading and caption) one below the other. Deterministic for given input.
 */
export function renderHtml(specs: PlotSpec | ReadonlyArray<PlotSpec | PageFigure>, opts: RenderHtmlOptions): string {
  const body = asFigures(specs).map((f, i) => [
    f.name ? `<h2>${escapeHtml(f.name)}</h2>` : '',
    f.caption ? `<p class="caption">${escapeHtml(f.caption)}</p>` : '',
    figureHtml(f.spec, `dr-fig-${i}`, { static: opts.static }),
  ].filter(Boolean).join('\n')).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(opts.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:${opts.static ? '0' : '1.5em'};color:#222}.caption{color:#555}.dr-figure{margin:0.5em 0}${opts.css ?? ''}</style>
${plotlyScriptTag()}
</head><body>
${opts.static ? '' : `<h1>${escapeHtml(opts.title)}</h1>\n`}${body}
</body></html>
`;
}

/** Writes `content` to `file` atomically (the package's one writer, src/util/atomicWrite), creating folders. */
export function writeTextAtomic(file: string, content: string | Uint8Array): void {
  writeFileAtomicSync(file, content);
}

/** {@link renderHtml} written atomically to `file`; returns `file`. */
export function writeHtml(file: string, specs: PlotSpec | ReadonlyArray<PlotSpec | PageFigure>, opts: RenderHtmlOptions): string {
  writeTextAtomic(file, renderHtml(specs, opts));
  return file;
}
