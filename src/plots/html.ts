import { escapeHtml } from '../util/html.js';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import type { PlotSpec } from './spec.js';

/** File name of the shared minified plotly.js written beside pages and notebooks that load it by URL. */
export const PLOTLY_FILE = 'plotly.min.js';

let bundleSource: string | undefined;

/** Absolute path of the minified plotly.js browser bundle of the `plotly.js-dist-min` package (~4.8 MB). */
export function plotlyBundlePath(): string {
  return createRequire(import.meta.url).resolve('plotly.js-dist-min');
}

/** The minified plotly.js browser bundle (read once). It ends by setting `window.Plotly`. */
export function plotlyBundleSource(): string {
  if (bundleSource === undefined) bundleSource = readFileSync(plotlyBundlePath(), 'utf8');
  return bundleSource;
}

/** The plotly.js version of the bundle (from its header comment), e.g. "4.1.2". */
export function plotlyVersion(): string {
  return /plotly\.js v([0-9][^\s*]*)/.exec(plotlyBundleSource().slice(0, 400))?.[1] ?? 'unknown';
}

/**
 * Copies the minified plotly.js to `dir/plotly.min.js` unless an identical-size copy is already there
 * (through the one atomic writer, so a reader never sees half a bundle). Returns the file's path.
 */
export function writePlotlyFile(dir: string): string {
  const target = join(dir, PLOTLY_FILE);
  const source = plotlyBundlePath();
  if (existsSync(target) && statSync(target).size === statSync(source).size) return target;
  writeFileAtomicSync(target, readFileSync(source));
  return target;
}

/**
 * A `<script>` element defining `window.Plotly`: with `src`, a reference to that URL (e.g. the shared
 * `../plotly.min.js` of a results folder); without, the whole bundle inlined, wrapped so a page-level
 * `module`/`exports` cannot capture it and with any `</script` escaped.
 */
export function plotlyScriptTag(opts: { src?: string } = {}): string {
  if (opts.src !== undefined) return `<script data-dr-plotly="${plotlyVersion()}" src="${escapeHtml(opts.src)}"></script>`;
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

export { escapeHtml };

/** Options of {@link figureHtml}. */
export interface FigureHtmlOptions {
  /** A non-interactive figure without the mode bar (for PNG screenshots). */
  static?: boolean;
  /**
   * A static image shown until the live plot is drawn (a `data:image/png;base64,…` URI or a URL): the
   * figure is never blank, even where scripts do not run (untrusted notebooks, sanitised HTML).
   */
  png?: string;
  /**
   * Where to load plotly.js from when `window.Plotly` is absent (a URL relative to the page, e.g.
   * `plotly.min.js` beside a notebook). Without it the script only waits for an earlier `<script>`.
   */
  plotlySrc?: string;
  /** Text shown under the static image while the live plot is not drawn (e.g. how to trust the notebook). */
  fallbackNote?: string;
}

/** The text put under a static figure when plotly.js could not be loaded. */
function missingPlotlyText(src: string | undefined): string {
  return src
    ? `Static image: plotly.js was not found at ${src} (showFigure writes it beside the notebook; in JupyterLab, \`pip install plotly\` draws the live figure from its JSON).`
    : 'plotly.js did not load (the page expects it in an earlier <script>).';
}

/**
 * A figure as HTML: an optional static image and note, a `div.dr-figure`, and a script that draws
 * `spec` into the div with plotly.js once it is available, then hides the image and the note. The
 * script waits for the div (some front ends run output scripts before attaching the output) and for
 * `window.Plotly`; with `plotlySrc` it loads that file once per page. If plotly never arrives the
 * static image stays, or, without one, the div says why.
 */
export function figureHtml(spec: PlotSpec, id: string, opts: FigureHtmlOptions = {}): string {
  const config = opts.static ? { staticPlot: true, displayModeBar: false, displaylogo: false } : { displaylogo: false, responsive: true };
  const w = Number(spec.layout?.width) || 760;
  const h = Number(spec.layout?.height) || 480;
  const title = String(spec.layout?.title?.text ?? 'figure');
  const png = opts.png !== undefined;
  const parts: string[] = [];
  if (png) {
    parts.push(`<img id="${escapeHtml(id)}-png" class="dr-figure-png" src="${escapeHtml(opts.png as string)}" width="${w}" alt="${escapeHtml(title)}" style="max-width:100%">`);
    if (opts.fallbackNote) parts.push(`<div id="${escapeHtml(id)}-note" class="dr-figure-note" style="font-size:12px;color:#666;max-width:${w}px">${escapeHtml(opts.fallbackNote)}</div>`);
  }
  parts.push(`<div id="${escapeHtml(id)}" class="dr-figure" style="width:${w}px;max-width:100%;height:${h}px${png ? ';display:none' : ''}"></div>`);
  const loader = opts.plotlySrc === undefined ? 'null' : JSON.stringify(opts.plotlySrc);
  const fail = JSON.stringify(missingPlotlyText(opts.plotlySrc));
  parts.push(
    `<script>(function(){var spec=${scriptJson(spec)};var id=${JSON.stringify(id)};var src=${loader};var cfg=${JSON.stringify(config)};var tries=0;`
    + 'function el(s){return document.getElementById(id+s);}'
    + 'function hide(e){if(e)e.style.display="none";}'
    + 'function failed(){var n=el("-note"),d=el("");if(n){n.textContent=' + fail + ';}else if(d&&!el("-png")){d.textContent=' + fail + ';}}'
    + 'function draw(){var d=el("");d.style.display="block";window.Plotly.newPlot(d,spec.data,spec.layout,cfg).then(function(){hide(el("-png"));hide(el("-note"));});}'
    // Where the file may be: relative to the page (classic notebook, nbconvert HTML); in JupyterLab, the
    // notebook's own folder through the server's /files/ route, the folder read from the tab of the
    // notebook holding this output ("Path: …"), else from the page URL or the page config's treePath.
    + 'function places(){var c=[src];if(src.indexOf("/")>=0||src.indexOf(":")>=0)return c;var cfg={};'
    + 'try{cfg=JSON.parse(document.getElementById("jupyter-config-data").textContent);}catch(e){}'
    + 'var baseUrl=cfg.baseUrl||"/";var dirs=[];var panel=el("")&&el("").closest(".jp-NotebookPanel");'
    + 'if(panel&&panel.id){var tab=document.querySelector(\'li[data-id="\'+panel.id+\'"]\');var t=tab&&(tab.getAttribute("title")||"");var m=/Path: ([^\\n]*)/.exec(t||"");if(m)dirs.push(m[1]);}'
    + 'var u=/\\/(?:lab|doc)(?:\\/workspaces\\/[^/]+)?\\/tree\\/(.*)$/.exec(location.pathname);if(u)dirs.push(decodeURIComponent(u[1]));if(cfg.treePath)dirs.push(cfg.treePath);'
    + 'dirs.forEach(function(p){var d=p.replace(/[^/]*$/,"");var url=baseUrl.replace(/\\/?$/,"/")+"files/"+d.split("/").map(encodeURIComponent).join("/")+src;if(c.indexOf(url)<0)c.push(url);});return c;}'
    + 'function load(){if(!window.__drPlotlyLoad){var list=places();window.__drPlotlyLoad=new Promise(function(ok,no){(function next(i){'
    + 'if(window.Plotly){ok();return;}if(i>=list.length){no();return;}var s=document.createElement("script");s.src=list[i];'
    + 's.onload=function(){window.Plotly?ok():next(i+1);};s.onerror=function(){next(i+1);};document.head.appendChild(s);})(0);});}return window.__drPlotlyLoad;}'
    // Retried every 50 ms for 10 s, then every 0.5 s for 2 more minutes: a notebook front end on a busy
    // machine may attach the output long after running its script.
    + 'function later(){if(tries++>=440)return false;setTimeout(go,tries<200?50:500);return true;}'
    + 'function go(){if(!el("")){later();return;}'
    + 'if(window.Plotly){draw();}else if(src){load().then(draw,failed);}else if(!later()){failed();}}'
    + 'go();})();</script>',
  );
  return parts.join('\n');
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
  /** Non-interactive figures without headings (used for PNG screenshots). */
  static?: boolean;
  /** Load plotly.js from this URL (e.g. `../plotly.min.js`) instead of inlining the bundle. */
  plotlySrc?: string;
  /** Extra CSS. */
  css?: string;
}

function asFigures(specs: PlotSpec | ReadonlyArray<PlotSpec | PageFigure>): PageFigure[] {
  const list = Array.isArray(specs) ? specs : [specs as PlotSpec];
  return list.map((s) => ('spec' in s && !('data' in s) ? (s as PageFigure) : { spec: s as PlotSpec }));
}

/**
 * An HTML page: plotly.js once in the head (inlined, or by `plotlySrc`; never from a server), then each
 * figure one below the other with its heading and caption (static pages: caption only, since a
 * figure's title is already drawn in it). Deterministic for given input.
 */
export function renderHtml(specs: PlotSpec | ReadonlyArray<PlotSpec | PageFigure>, opts: RenderHtmlOptions): string {
  const body = asFigures(specs).map((f, i) => [
    f.name && !opts.static ? `<h2>${escapeHtml(f.name)}</h2>` : '',
    f.caption ? `<p class="caption">${escapeHtml(f.caption)}</p>` : '',
    figureHtml(f.spec, `dr-fig-${i}`, { static: opts.static }),
  ].filter(Boolean).join('\n')).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(opts.title)}</title>
<style>body{font-family:system-ui,sans-serif;margin:${opts.static ? '0 10px' : '1.5em'};color:#222}.caption{color:#555}.dr-figure{margin:0.5em 0}${opts.css ?? ''}</style>
${plotlyScriptTag({ src: opts.plotlySrc })}
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
