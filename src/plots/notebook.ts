import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { findChromium, renderPngSync } from './chromium.js';
import { escapeHtml, figureHtml, PLOTLY_FILE, writePlotlyFile } from './html.js';
import { filterRowsWhere, type RowFilter } from './lines.js';
import { rowsOf, type PlotSpec, type TableLike } from './spec.js';
import { cellText } from '../util/cellText.js';
import { formatProgress, type ProgressEvent, type ProgressSink } from '../util/progress.js';

/**
 * Where notebook output goes. `html` shows one text/html output; `bundle`, when the kernel allows it,
 * shows one output carrying several MIME types (the front end picks the richest it can render).
 */
export interface NotebookSink {
  html(html: string): void;
  bundle?(data: Record<string, unknown>): void;
}

/**
 * The sink of the running tslab kernel, or undefined outside tslab. tslab's public `display` sends one
 * MIME type per output, so for a multi-MIME output we reach its `jupyter.lastWriteDisplayData` (the
 * function `display.raw` itself calls) through the module cache of the kernel's own tslab copy.
 */
export function tslabSink(): NotebookSink | undefined {
  const hook = (globalThis as any).__tslab__;
  if (!hook || typeof hook.require !== 'function') return undefined;
  let tslab: any;
  try {
    tslab = hook.require('tslab');
  } catch {
    return undefined;
  }
  if (!tslab?.display?.html) return undefined;
  const sink: NotebookSink = { html: (s) => tslab.display.html(s) };
  try {
    const cache = createRequire(import.meta.url).cache;
    const own = Object.values(cache).find((m) => m?.exports === tslab);
    const jupyter = own ? cache[join(dirname(own.filename), 'jupyter.js')]?.exports : undefined;
    if (jupyter && typeof jupyter.lastWriteDisplayData === 'function') {
      sink.bundle = (data) => jupyter.lastWriteDisplayData({ data, metadata: {}, transient: {} }, false);
    }
  } catch {
    // Only the multi-MIME output is lost; figures still show through text/html.
  }
  return sink;
}

const kernelState = { plotlyWritten: '', counter: 0, prefix: randomBytes(4).toString('hex') };

function sinkOrThrow(sink: NotebookSink | undefined, what: string): NotebookSink {
  const s = sink ?? tslabSink();
  if (!s) throw new Error(`${what}: not running inside a tslab kernel (no __tslab__); outside notebooks use renderHtml / renderPng`);
  return s;
}

/**
 * How to trust a notebook, per front end (shown under a figure's static image, which is all an
 * untrusted notebook shows: its scripts do not run).
 */
export const TRUST_NOTE = 'Static image. For the live, interactive plot, trust this notebook: JupyterLab: command palette (Ctrl+Shift+C) > "Trust Notebook"; '
  + 'classic notebook: File > Trust Notebook. In JupyterLab, `pip install plotly` (its jupyterlab-plotly renderer) draws every figure live, trusted or not.';

/** Options of {@link showFigure} / {@link figureOutput}. */
export interface ShowFigureOptions {
  /** Output target (default: the running tslab kernel). */
  sink?: NotebookSink;
  /**
   * Static PNG fallback: `true` renders it with headless Chromium (default when one is found), `false`
   * leaves it out, or PNG bytes rendered elsewhere.
   */
  png?: boolean | Uint8Array;
  /** Folder the notebook is served from, where `plotly.min.js` is written (default: the kernel's cwd). */
  dir?: string;
}

/**
 * The MIME bundle of one figure output: `application/vnd.plotly.v1+json` (drawn live by JupyterLab's
 * plotly renderer, which brings its own plotly.js), `text/html` that is self-sufficient (a static PNG
 * the package rendered, a note on how to trust the notebook, and a script that swaps in the live plot
 * by loading the `plotly.min.js` beside the notebook) and `text/plain`. No plotly.js is inlined, so an
 * output is a few tens of KB and every output stands alone, whatever order cells run in.
 */
export function figureOutput(spec: PlotSpec, id: string, png: Uint8Array | undefined): Record<string, unknown> {
  const title = String(spec.layout?.title?.text ?? 'untitled');
  const html = png
    ? figureHtml(spec, id, { png: `data:image/png;base64,${Buffer.from(png).toString('base64')}`, plotlySrc: PLOTLY_FILE, fallbackNote: TRUST_NOTE })
    : `<p class="dr-figure-note" style="font-size:12px;color:#666">${escapeHtml(`No static image of "${title}" (no headless Chromium here: apt-get install chromium). `
      + 'The live plot below needs this notebook to be trusted (JupyterLab: command palette > "Trust Notebook"; classic notebook: File > Trust Notebook), or `pip install plotly` in JupyterLab.')}</p>\n`
      + figureHtml(spec, id, { plotlySrc: PLOTLY_FILE });
  return {
    'application/vnd.plotly.v1+json': JSON.parse(JSON.stringify({ data: spec.data, layout: spec.layout }, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))),
    'text/html': html,
    'text/plain': `<plotly figure: ${title}>`,
  };
}

/**
 * Shows a plotly spec in a tslab notebook as one self-sufficient output (see {@link figureOutput}):
 * live where the front end can draw plotly, a static PNG elsewhere, never a blank box. The first call
 * in a kernel writes `plotly.min.js` beside the notebook (the kernel's cwd). Rendering the PNG starts
 * a headless Chromium (about a second per figure).
 * @example
 * ```ts
 * showFigure(accuracyVsFractionFigure(sweep.results, { title: 'random neurons vs the whole layer' }));
 * ```
 */
export function showFigure(spec: PlotSpec, opts: ShowFigureOptions = {}): void {
  const sink = sinkOrThrow(opts.sink, 'showFigure');
  const dir = opts.dir ?? process.cwd();
  if (kernelState.plotlyWritten !== dir) {
    try {
      writePlotlyFile(dir);
      kernelState.plotlyWritten = dir;
    } catch {
      // Read-only folder: the static image still shows; the note under it says plotly.js was not found.
    }
  }
  let png: Uint8Array | undefined;
  if (opts.png instanceof Uint8Array) png = opts.png;
  else if (opts.png !== false && findChromium()) png = renderPngSync(spec);
  const id = `dr-fig-${kernelState.prefix}-${kernelState.counter++}`;
  const data = figureOutput(spec, id, png);
  if (sink.bundle) sink.bundle(data);
  else sink.html(data['text/html'] as string);
}

/** Resets the per-kernel figure counter and plotly-file memo (for tests; a new kernel starts fresh anyway). */
export function resetNotebookState(): void {
  kernelState.plotlyWritten = '';
  kernelState.counter = 0;
}


/** Options of {@link tableHtml} / {@link showTable}. */
export interface TableHtmlOptions {
  /** Rows shown (default 20); a note says how many were left out. */
  limit?: number;
  /** Significant digits of non-integer numbers (default 4). */
  digits?: number;
  /** Columns shown, in order (default all). */
  columns?: string[];
  caption?: string;
  /** Keep only matching rows, e.g. `{ delta: 0.9 }`. */
  where?: RowFilter;
  sink?: NotebookSink;
}

/** An HTML `<table>` of an arquero table or row array (numbers rounded, lists abbreviated, text escaped). */
export function tableHtml(table: TableLike, opts: TableHtmlOptions = {}): string {
  const rows = filterRowsWhere(rowsOf(table), opts.where);
  const limit = opts.limit ?? 20;
  const columns = opts.columns ?? (rows.length ? Object.keys(rows[0]) : (Array.isArray(table) ? [] : (table as any).columnNames()));
  const head = columns.map((c: string) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = rows.slice(0, limit).map((r) => `<tr>${columns.map((c: string) => `<td>${escapeHtml(cellText(r[c], { numbers: 'precision', digits: opts.digits ?? 4, lists: 'preview', objectsAsJson: true }))}</td>`).join('')}</tr>`).join('\n');
  const more = rows.length > limit ? `<p style="color:#666">… ${rows.length - limit} more row(s) of ${rows.length}</p>` : '';
  const caption = opts.caption ? `<caption style="text-align:left;font-weight:bold">${escapeHtml(opts.caption)}</caption>` : '';
  return `<table class="dr-table" style="border-collapse:collapse;font-size:0.9em">${caption}<thead><tr>${head}</tr></thead>\n<tbody>${body}</tbody></table>${more}`;
}

/**
 * Shows an arquero table (or row array) as an HTML table in a tslab notebook.
 * @example
 * ```ts
 * showTable(accuracyCurves(sweep.results), { columns: ['fraction', 'accuracyMean'] });
 * ```
 */
export function showTable(table: TableLike, opts: TableHtmlOptions = {}): void {
  sinkOrThrow(opts.sink, 'showTable').html(tableHtml(table, opts));
}

/**
 * Shows a short HTML note (e.g. a paper claim with our measured number) in a tslab notebook; text is escaped.
 * @example
 * ```ts
 * showNote('λ was chosen on 10% of the training rows');
 * ```
 */
export function showNote(text: string, opts: { sink?: NotebookSink } = {}): void {
  sinkOrThrow(opts.sink, 'showNote').html(`<p class="dr-note" style="font-size:0.85em;color:#555;margin:0.2em 0">${escapeHtml(text)}</p>`);
}

/** What {@link showExperimentSummary} reads from an experiment's output (`experimentE1(ctx)` etc.). */
export interface ExperimentSummaryLike {
  id: string;
  title: string;
  paperClaim: string;
  verdicts: ReadonlyArray<{ claim: string; holds: boolean | null; detail: string }>;
  notes: readonly string[];
  seconds: number;
}

/** HTML of an experiment's heading, the paper's claim, the verdict table (holds: yes / no / undecided) and notes. */
export function experimentSummaryHtml(out: ExperimentSummaryLike): string {
  const verdict = (h: boolean | null) => (h === true ? '<b style="color:#0a7a20">yes</b>' : h === false ? '<b style="color:#b00020">no</b>' : '<b style="color:#777">undecided</b>');
  const rows = out.verdicts.map((v) => `<tr><td>${escapeHtml(v.claim)}</td><td>${verdict(v.holds)}</td><td>${escapeHtml(v.detail)}</td></tr>`).join('\n');
  return [
    `<h3>${escapeHtml(out.id)}: ${escapeHtml(out.title)} <small style="color:#666">(${out.seconds.toFixed(1)} s)</small></h3>`,
    `<p><b>Paper:</b> ${escapeHtml(out.paperClaim)}</p>`,
    out.verdicts.length ? `<table class="dr-table"><thead><tr><th>claim</th><th>holds here?</th><th>measured</th></tr></thead><tbody>${rows}</tbody></table>` : '',
    ...out.notes.map((n) => `<p style="color:#555">${escapeHtml(n)}</p>`),
  ].filter(Boolean).join('\n');
}

/**
 * Shows an experiment's claim, computed verdicts and notes in a tslab notebook.
 * @example
 * ```ts
 * showExperimentSummary(await experimentE1(ctx));
 * ```
 */
export function showExperimentSummary(out: ExperimentSummaryLike, opts: { sink?: NotebookSink } = {}): void {
  sinkOrThrow(opts.sink, 'showExperimentSummary').html(experimentSummaryHtml(out));
}

/**
 * A progress sink for notebook cells: one text bar (`[#####.....] label 3/10 items (…/s, ETA …)`) on
 * stdout, redrawn in place with a carriage return (Jupyter front ends overwrite the line), throttled
 * to one update per `intervalMs`, with a final newline. Not stderr, so no red box.
 * @example
 * ```ts
 * await extractFeaturesDetailed({ model: 'resnet', dataset: 'mnist-digits', split: 'train', progress: notebookProgress() });
 * ```
 */
export function notebookProgress(intervalMs = 500, write: (s: string) => void = (s) => { process.stdout.write(s); }): ProgressSink {
  let last = 0;
  return (e: ProgressEvent) => {
    const now = Date.now();
    const final = e.done >= e.total;
    if (!final && now - last < intervalMs) return;
    last = now;
    const width = 24;
    const filled = e.total > 0 ? Math.min(width, Math.round((e.done / e.total) * width)) : 0;
    write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${formatProgress(e)}${final ? '\n' : ''}`);
  };
}
