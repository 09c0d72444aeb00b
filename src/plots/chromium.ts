import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, renameSync, mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { plotlyBundlePath, renderHtml } from './html.js';
import type { PlotSpec } from './spec.js';

/** Where Debian (and common distributions) put a Chromium that can run headless; `$DR_CHROMIUM` first. */
export const CHROMIUM_CANDIDATES: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];

/** The first Chromium executable found (`$DR_CHROMIUM`, then {@link CHROMIUM_CANDIDATES}), or undefined. */
export function findChromium(): string | undefined {
  const env = process.env.DR_CHROMIUM;
  if (env) return existsSync(env) ? env : undefined;
  return CHROMIUM_CANDIDATES.find((p) => existsSync(p));
}

/** The message used when no Chromium is found. */
export function missingChromiumMessage(what: string): string {
  return `${what}: no headless Chromium found (looked at ${process.env.DR_CHROMIUM ? `$DR_CHROMIUM=${process.env.DR_CHROMIUM}` : CHROMIUM_CANDIDATES.join(', ')}); install Debian's package with \`apt-get install -y chromium\` or set DR_CHROMIUM`;
}

/** Command-line flags of a headless, offline, throw-away-profile Chromium run on `url`. */
function chromiumArgs(profile: string, modeArgs: readonly string[], url: string): string[] {
  return [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--hide-scrollbars', '--mute-audio',
    '--force-device-scale-factor=1', `--user-data-dir=${profile}`, ...modeArgs, url,
  ];
}

/**
 * Runs headless Chromium on `url` with the given mode flags (`--screenshot=…`, `--dump-dom`, …):
 * no sandbox (we run as root in CI), no GPU, no background network, a throw-away profile. Resolves
 * with stdout; rejects naming the exit code and the last stderr lines, or after `timeoutMs`.
 */
export function runChromium(url: string, modeArgs: readonly string[], opts: { chromium?: string; timeoutMs?: number } = {}): Promise<string> {
  const exe = opts.chromium ?? findChromium();
  if (!exe) return Promise.reject(new Error(missingChromiumMessage('chromium')));
  const profile = mkdtempSync(join(tmpdir(), 'dr-chromium-'));
  const args = chromiumArgs(profile, modeArgs, url);
  return new Promise((resolvePromise, reject) => {
    const child = spawn(exe, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => { err = (err + b.toString()).slice(-4000); });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', (e) => { clearTimeout(timer); rmSync(profile, { recursive: true, force: true }); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      rmSync(profile, { recursive: true, force: true });
      if (code === 0) resolvePromise(Buffer.concat(out).toString('utf8'));
      else reject(new Error(`chromium exited with ${signal ?? code} on ${url}: ${err.trim().split('\n').slice(-3).join(' | ')}`));
    });
  });
}

/** Options of {@link screenshotHtml} and {@link renderPng}. */
export interface ScreenshotOptions {
  chromium?: string;
  /** Viewport in CSS pixels (default: the figure's layout size, or 1280×2400 for pages). */
  width?: number;
  height?: number;
  /** Virtual time granted to scripts before the capture, ms (default 15000). */
  budgetMs?: number;
  timeoutMs?: number;
}

/** Screenshot of an HTML file (first `height` pixels) to `png`, written atomically; returns `png`. */
export async function screenshotHtml(htmlFile: string, png: string, opts: ScreenshotOptions = {}): Promise<string> {
  const out = resolve(png);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp.png`;
  await runChromium(pathToFileURL(resolve(htmlFile)).href, [
    `--screenshot=${tmp}`, `--window-size=${opts.width ?? 1280},${opts.height ?? 2400}`, `--virtual-time-budget=${opts.budgetMs ?? 15000}`,
  ], opts);
  if (!existsSync(tmp) || statSync(tmp).size === 0) throw new Error(`chromium wrote no screenshot for ${htmlFile}`);
  renameSync(tmp, out);
  return out;
}

/**
 * Draws one figure in headless Chromium and saves it as PNG at `file` (atomic). Throws a clear error
 * when no Chromium is installed (see {@link findChromium}). Returns `file`.
 */
export async function renderPng(spec: PlotSpec, file: string, opts: ScreenshotOptions = {}): Promise<string> {
  if (!(opts.chromium ?? findChromium())) throw new Error(missingChromiumMessage('renderPng'));
  const dir = mkdtempSync(join(tmpdir(), 'dr-png-'));
  try {
    const html = join(dir, 'figure.html');
    writeFileSync(html, staticFigurePage(spec));
    return await screenshotHtml(html, file, {
      width: opts.width ?? (Number(spec.layout?.width) || 760) + 20, height: opts.height ?? (Number(spec.layout?.height) || 480), ...opts,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A page drawing one figure without the mode bar, loading plotly.js from the package's file (no copy). */
function staticFigurePage(spec: PlotSpec): string {
  return renderHtml(spec, { title: String(spec.layout?.title?.text ?? 'figure'), static: true, plotlySrc: pathToFileURL(plotlyBundlePath()).href });
}

/**
 * Draws one figure in headless Chromium and returns the PNG bytes, synchronously (the notebook display
 * helpers call it, so a figure cell needs no `await`). Throws naming the fault when no Chromium is
 * installed or it fails; `timeoutMs` (default 60 s) bounds the run.
 */
export function renderPngSync(spec: PlotSpec, opts: ScreenshotOptions = {}): Buffer {
  const exe = opts.chromium ?? findChromium();
  if (!exe) throw new Error(missingChromiumMessage('renderPngSync'));
  const dir = mkdtempSync(join(tmpdir(), 'dr-png-'));
  try {
    const html = join(dir, 'figure.html');
    const png = join(dir, 'figure.png');
    writeFileSync(html, staticFigurePage(spec));
    const width = opts.width ?? (Number(spec.layout?.width) || 760) + 20;
    const height = opts.height ?? (Number(spec.layout?.height) || 480);
    const profile = join(dir, 'profile');
    mkdirSync(profile);
    const r = spawnSync(exe, chromiumArgs(profile, [`--screenshot=${png}`, `--window-size=${width},${height}`, `--virtual-time-budget=${opts.budgetMs ?? 10000}`], pathToFileURL(html).href), {
      stdio: ['ignore', 'ignore', 'pipe'], timeout: opts.timeoutMs ?? 60_000, encoding: 'utf8',
    });
    if (r.status !== 0 || !existsSync(png) || statSync(png).size === 0) {
      throw new Error(`chromium ${r.error ? r.error.message : `exited with ${r.signal ?? r.status}`} drawing "${String(spec.layout?.title?.text ?? 'figure')}": ${String(r.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
    }
    return readFileSync(png);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The DOM of an HTML file after its scripts ran for `budgetMs` of virtual time (`--dump-dom`). */
export function dumpDom(htmlFile: string, opts: { chromium?: string; budgetMs?: number; timeoutMs?: number } = {}): Promise<string> {
  return runChromium(pathToFileURL(resolve(htmlFile)).href, ['--dump-dom', `--virtual-time-budget=${opts.budgetMs ?? 15000}`], opts);
}

/** What was drawn into one `div.dr-figure`. */
export interface DrawnFigure {
  id: string;
  /** Plotly created its SVG (`main-svg`) in the div. */
  drawn: boolean;
  /** Trace groups (`g.trace`) of any kind. */
  traces: number;
  /** Marker points (`path.point`). */
  points: number;
  /** Non-empty line paths (`path.js-line`) and heatmap images. */
  lines: number;
  heatmaps: number;
}

/**
 * Inspects a DOM dump for every `div.dr-figure`: whether plotly drew it and how many traces, points,
 * lines and heatmap images it holds (see {@link figureHasContent}).
 */
export function inspectFigures(dom: string): DrawnFigure[] {
  const starts: Array<{ id: string; at: number }> = [];
  const re = /<div\b[^>]*\bclass="(?:[^"]*\s)?dr-figure(?:\s[^"]*)?"[^>]*>/g;
  for (let m = re.exec(dom); m; m = re.exec(dom)) starts.push({ id: /\bid="([^"]*)"/.exec(m[0])?.[1] ?? '', at: m.index });
  return starts.map((s, i) => {
    const seg = dom.slice(s.at, i + 1 < starts.length ? starts[i + 1].at : dom.length);
    const count = (r: RegExp) => (seg.match(r) ?? []).length;
    return {
      id: s.id,
      drawn: seg.includes('main-svg'),
      traces: count(/<g[^>]*\bclass="trace\b/g),
      points: count(/<(?:path|g)[^>]*\bclass="point\b/g),
      lines: count(/<path[^>]*\bclass="js-line"[^>]*\bd="M/g),
      heatmaps: count(/<image[^>]*\bclass="hm"|<g[^>]*class="hm"/g),
    };
  });
}

/** True when a figure drew visible marks: scatter traces with points or lines, or a heatmap image. */
export function figureHasContent(f: DrawnFigure): boolean {
  return f.drawn && ((f.traces > 0 && f.points + f.lines > 0) || f.heatmaps > 0);
}

/** Options of {@link checkHtmlFigures}. */
export interface CheckFiguresOptions {
  chromium?: string;
  /** Also save a screenshot of the top of the page here (atomic). */
  screenshot?: string;
  width?: number;
  height?: number;
  budgetMs?: number;
  timeoutMs?: number;
}

/**
 * Opens an HTML file in headless Chromium once, lets its scripts run for `budgetMs` of virtual time,
 * and reports every `div.dr-figure` found in the resulting DOM (see {@link inspectFigures}); with
 * `screenshot`, the same run saves a PNG of the first `height` pixels.
 */
export async function checkHtmlFigures(htmlFile: string, opts: CheckFiguresOptions = {}): Promise<DrawnFigure[]> {
  const args = ['--dump-dom', `--virtual-time-budget=${opts.budgetMs ?? 15000}`];
  let tmp: string | undefined;
  if (opts.screenshot) {
    mkdirSync(dirname(resolve(opts.screenshot)), { recursive: true });
    tmp = `${resolve(opts.screenshot)}.${process.pid}.tmp.png`;
    args.push(`--screenshot=${tmp}`, `--window-size=${opts.width ?? 1280},${opts.height ?? 2400}`);
  }
  const dom = await runChromium(pathToFileURL(resolve(htmlFile)).href, args, opts);
  if (tmp && opts.screenshot) {
    if (!existsSync(tmp) || statSync(tmp).size === 0) throw new Error(`chromium wrote no screenshot for ${htmlFile}`);
    renameSync(tmp, resolve(opts.screenshot));
  }
  return inspectFigures(dom);
}
