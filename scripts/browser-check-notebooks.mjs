#!/usr/bin/env node
// A real-browser test against a real notebook server: starts Debian's `jupyter-notebook` on 127.0.0.1
// (random token, a temporary folder), drives headless Chromium with playwright-core, and on one executed
// notebook checks that every figure drew (a plotly SVG per figure), runs the whole notebook twice in one
// kernel (Run All twice), saves, reloads and checks again; then opens an untrusted copy and checks that
// every figure shows its static image with a visible note on how to trust the notebook.
// Without jupyter-notebook, Chromium or playwright-core: skip with a message, or fail under CI=true.
//
// Usage: node scripts/browser-check-notebooks.mjs [--dir results/notebooks] [--notebook 00-quick-start]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const dir = resolve(root, option('--dir', join('results', 'notebooks')));
const stem = option('--notebook', '00-quick-start');
const ci = process.env.CI === 'true';
const say = (s) => process.stderr.write(`browser-check: ${s}\n`);

function skip(message) {
  if (ci) {
    say(`${message} (CI=true: failing)`);
    process.exit(1);
  }
  say(`${message}; skipping the live-server browser test`);
  process.exit(0);
}

const plots = await import(pathToFileURL(join(root, 'dist', 'src', 'plots', 'index.js')).href);
const chromium = plots.findChromium();
if (!chromium) skip('no Chromium (apt-get install -y chromium)');
if (spawnSync('jupyter-notebook', ['--version'], { encoding: 'utf8' }).status !== 0) skip('no jupyter-notebook (apt-get install -y jupyter-notebook)');
let playwright;
try {
  playwright = await import('playwright-core');
} catch {
  skip('playwright-core is not installed (npm install)');
}
const executed = join(dir, `${stem}.ipynb`);
if (!existsSync(executed)) skip(`${executed} not found (run scripts/run-notebooks.mjs first)`);

const freePort = () => new Promise((ok, no) => {
  const s = createServer();
  s.once('error', no);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

// The server's folder: notebooks/ with the trusted executed copy, an unsigned copy and plotly.min.js,
// beside a `dist` link so '../dist/src/index.js' resolves for the kernel.
const home = mkdtempSync(join(tmpdir(), 'dr-nbserver-'));
mkdirSync(join(home, 'notebooks'));
symlinkSync(join(root, 'dist'), join(home, 'dist'), 'dir');
copyFileSync(executed, join(home, 'notebooks', `${stem}.ipynb`));
// Trust is a signature of the content: the copy differs by one metadata field, so it is not signed.
const copy = JSON.parse(readFileSync(executed, 'utf8'));
copy.metadata = { ...copy.metadata, dr_browser_check: 'untrusted copy' };
writeFileSync(join(home, 'notebooks', `${stem}-untrusted.ipynb`), JSON.stringify(copy, null, 1));
plots.writePlotlyFile(join(home, 'notebooks'));
const sign = spawnSync('/usr/bin/python3', ['-c', 'from nbformat.sign import TrustNotebookApp; TrustNotebookApp.launch_instance()', join(home, 'notebooks', `${stem}.ipynb`)], { encoding: 'utf8' });
if (sign.status !== 0) {
  say(`could not sign the notebook: ${sign.stderr}`);
  process.exit(1);
}

const token = randomBytes(16).toString('hex');
const port = await freePort();
const server = spawn('jupyter-notebook', [
  '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--NotebookApp.token=${token}`,
  `--notebook-dir=${home}`, '--NotebookApp.open_browser=False', '--allow-root',
], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}` } });
let serverLog = '';
server.stderr.on('data', (b) => { serverLog = (serverLog + b.toString()).slice(-6000); });
const base = `http://127.0.0.1:${port}`;
let browser;
let context;
let failures = 0;
const check = (ok, what) => {
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

async function waitForServer() {
  for (let i = 0; i < 120; i++) {
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the notebook server did not answer on ${base}: ${serverLog.slice(-1500)}`);
}

/** Counts figures in the page: drawn (plotly SVG inside .dr-figure), static images shown, visible trust notes. */
const figureState = (page) => page.evaluate(() => {
  const figs = [...document.querySelectorAll('.dr-figure')];
  const visible = (e) => Boolean(e && e.offsetParent !== null && getComputedStyle(e).display !== 'none');
  return {
    figures: figs.length,
    svg: figs.filter((f) => f.querySelector('svg.main-svg')).length,
    images: [...document.querySelectorAll('img.dr-figure-png')].filter((i) => visible(i) && i.naturalWidth > 0).length,
    notes: [...document.querySelectorAll('.dr-figure-note')].filter((n) => visible(n) && /Trust Notebook/.test(n.textContent)).length,
    trusted: Boolean(window.Jupyter?.notebook?.trusted),
  };
});

/** Opens a notebook in a fresh tab (closing the previous one without its "leave page?" prompt). */
let current;
async function open(name) {
  if (current) await current.close({ runBeforeUnload: false });
  current = await context.newPage();
  const page = current;
  await page.goto(`${base}/notebooks/notebooks/${name}?token=${token}`, { waitUntil: 'load' });
  await page.waitForFunction(() => window.Jupyter?.notebook?._fully_loaded, null, { timeout: 120_000 });
  return page;
}

async function waitDrawn(page, what) {
  try {
    await page.waitForFunction(() => {
      const f = [...document.querySelectorAll('.dr-figure')];
      return f.length > 0 && f.every((d) => d.querySelector('svg.main-svg'));
    }, null, { timeout: 120_000 });
  } catch { /* reported below */ }
  const s = await figureState(page);
  check(s.figures > 0 && s.svg === s.figures, `${what}: ${s.svg} of ${s.figures} figures drew an SVG`);
  return s;
}

async function runAll(page, round) {
  await page.waitForFunction(() => window.Jupyter.notebook.kernel?.is_connected(), null, { timeout: 120_000 });
  const t0 = performance.now();
  await page.evaluate(() => window.Jupyter.notebook.execute_all_cells());
  await page.waitForFunction(() => {
    const cells = window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code');
    return cells.every((c) => typeof c.input_prompt_number === 'number') && !window.Jupyter.notebook.kernel_busy;
  }, null, { timeout: 900_000, polling: 1000 });
  const errors = await page.evaluate(() => window.Jupyter.notebook.get_cells().flatMap((c) => (c.output_area?.outputs ?? []).filter((o) => o.output_type === 'error').map((o) => `${o.ename}: ${o.evalue}`)));
  check(errors.length === 0, `Run All #${round} in one kernel finished in ${((performance.now() - t0) / 1000).toFixed(0)} s${errors.length ? `: ${errors.join('; ')}` : ' without errors'}`);
}

try {
  await waitForServer();
  browser = await playwright.chromium.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
  // Offline: any request that is not to this server fails the test.
  const outside = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith('data:')) return route.continue();
    outside.push(url);
    return route.abort();
  });

  let page = await open(`${stem}.ipynb`);
  const first = await waitDrawn(page, 'trusted, as executed');
  check(first.trusted, 'the signed notebook opens as trusted');
  await runAll(page, 1);
  await runAll(page, 2);
  await waitDrawn(page, 'after Run All twice');
  await page.evaluate(() => window.Jupyter.notebook.save_notebook());
  await page.waitForFunction(() => !window.Jupyter.notebook.dirty, null, { timeout: 60_000 }).catch(() => {});
  const saved = join(home, 'notebooks', `${stem}.ipynb`);
  const bytes = statSync(saved).size;
  check(bytes < 3e6, `saved notebook is ${(bytes / 1e6).toFixed(2)} MB (< 3 MB)`);
  check(!readFileSync(saved, 'utf8').includes('window.Plotly = Plotly'), 'the saved notebook inlines no plotly.js');
  page = await open(`${stem}.ipynb`);
  await waitDrawn(page, 'saved and reopened');
  await page.screenshot({ path: join(dir, `${stem}.live-trusted.png`) });

  page = await open(`${stem}-untrusted.ipynb`);
  await page.waitForTimeout(3000);
  const u = await figureState(page);
  check(!u.trusted, 'the unsigned copy opens as untrusted');
  check(u.figures > 0 && u.images === u.figures, `untrusted: ${u.images} of ${u.figures} figures show their static image`);
  check(u.notes === u.figures, `untrusted: ${u.notes} of ${u.figures} figures show a note on how to trust the notebook`);
  await page.screenshot({ path: join(dir, `${stem}.live-untrusted.png`) });
  check(outside.length === 0, `no request left the notebook server${outside.length ? ` (${outside.slice(0, 3).join(', ')})` : ''}`);
} catch (err) {
  check(false, `browser test stopped: ${err?.message ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  rmSync(home, { recursive: true, force: true });
}
if (failures) {
  say(`${failures} check(s) failed against the live notebook server`);
  process.exit(1);
}
say('every check passed against the live notebook server (trusted and untrusted)');
