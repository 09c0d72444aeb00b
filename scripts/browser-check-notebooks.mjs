#!/usr/bin/env node
// A real-browser test against a real notebook server. Starts Debian's `jupyter-notebook` on 127.0.0.1
// (random token, a temporary folder holding copies of the executed notebooks) and drives headless
// Chromium with playwright-core:
//   - every executed notebook (results/notebooks/*.ipynb, written by scripts/run-notebooks.mjs) opened
//     trusted draws every figure (a plotly SVG per figure); an untrusted copy shows every figure's static
//     image (decoded, not blank) and a visible note on how to trust the notebook;
//   - the cheap notebooks (--rerun, default 00 and 01) are run whole twice in one kernel (Run All twice),
//     saved and reopened, and checked again;
//   - the nbconvert HTML export of each such notebook (run twice, saved) draws every figure.
// The expensive notebooks are not executed again: their executed copies are only opened.
// Where JupyterLab is importable (by /usr/bin/python3, or the Python named by DR_JUPYTERLAB_PYTHON) the
// same checks (but the export) run in JupyterLab too; without it, that part is skipped with a message.
// Without jupyter-notebook, Chromium or playwright-core: skip with a message, or fail under CI=true.
//
// Usage: node scripts/browser-check-notebooks.mjs [--dir results/notebooks] [--dist dist] [--notebooks 00,02] [--rerun 00,01] [--lab auto|off]
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
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
const list = (s) => s.split(',').map((x) => x.trim()).filter(Boolean);
const dir = resolve(root, option('--dir', join('results', 'notebooks')));
const distDir = resolve(root, option('--dist', 'dist'));
const wanted = list(option('--notebooks', option('--notebook', '')));
const rerunWanted = list(option('--rerun', '00,01'));
const labMode = option('--lab', 'auto');
const ci = process.env.CI === 'true';
const say = (s) => process.stderr.write(`browser-check: ${s}\n`);
const started = performance.now();

function skip(message) {
  if (ci) {
    say(`${message} (CI=true: failing)`);
    process.exit(1);
  }
  say(`${message}; skipping the live-server browser test`);
  process.exit(0);
}

const plots = await import(pathToFileURL(join(distDir, 'src', 'plots', 'index.js')).href);
const chromium = plots.findChromium();
if (!chromium) skip('no Chromium (apt-get install -y chromium)');
if (spawnSync('jupyter-notebook', ['--version'], { encoding: 'utf8' }).status !== 0) skip('no jupyter-notebook (apt-get install -y jupyter-notebook)');
let playwright;
try {
  playwright = await import('playwright-core');
} catch {
  skip('playwright-core is not installed (npm install)');
}
if (!existsSync(dir)) skip(`${dir} not found (run scripts/run-notebooks.mjs first)`);
// Executed notebooks: <stem>.ipynb beside its HTML export (not the `.failed` copies of failed runs).
const stems = readdirSync(dir)
  .filter((f) => /^\d\d-.*\.ipynb$|^zz-.*\.ipynb$/.test(f) && !f.endsWith('.failed.ipynb'))
  .map((f) => f.replace(/\.ipynb$/, ''))
  .filter((s) => !wanted.length || wanted.some((w) => s.startsWith(w)))
  .sort();
if (!stems.length) skip(`no executed notebooks in ${dir}${wanted.length ? ` matching ${wanted.join(', ')}` : ''} (run scripts/run-notebooks.mjs first)`);
const rerun = stems.filter((s) => rerunWanted.some((w) => s.startsWith(w)));
const missingRerun = rerunWanted.filter((w) => !stems.some((s) => s.startsWith(w)));
if (missingRerun.length) say(`no executed notebook for --rerun ${missingRerun.join(', ')}: not run again`);

const labPython = process.env.DR_JUPYTERLAB_PYTHON || '/usr/bin/python3';
const labVersion = labMode === 'off' ? undefined : (() => {
  const r = spawnSync(labPython, ['-c', 'import jupyterlab; print(jupyterlab.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
})();
if (labMode !== 'off' && !labVersion) say(`JupyterLab is not importable by ${labPython}: skipping the JupyterLab checks (set DR_JUPYTERLAB_PYTHON to a Python that has it)`);

const freePort = () => new Promise((ok, no) => {
  const s = createServer();
  s.once('error', no);
  s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

let failures = 0;
let checks = 0;
const check = (ok, what) => {
  checks++;
  say(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures++;
};

/**
 * A server folder: notebooks/ with a signed copy and an unsigned copy of each executed notebook and
 * plotly.min.js, beside `dist` and `node_modules` links so the kernel resolves '../dist/src/index.js' and packages.
 */
function serverHome() {
  const home = mkdtempSync(join(tmpdir(), 'dr-nbserver-'));
  mkdirSync(join(home, 'notebooks'));
  symlinkSync(distDir, join(home, 'dist'), 'dir');
  // Notebooks also import packages by name (e.g. arquero), resolved from the kernel's folder upwards.
  symlinkSync(join(root, 'node_modules'), join(home, 'node_modules'), 'dir');
  const signed = [];
  for (const stem of stems) {
    copyFileSync(join(dir, `${stem}.ipynb`), join(home, 'notebooks', `${stem}.ipynb`));
    signed.push(join(home, 'notebooks', `${stem}.ipynb`));
    // Trust is a signature of the content: the copy differs by one metadata field, so it is not signed.
    const copy = JSON.parse(readFileSync(join(dir, `${stem}.ipynb`), 'utf8'));
    copy.metadata = { ...copy.metadata, dr_browser_check: 'untrusted copy' };
    writeFileSync(join(home, 'notebooks', `${stem}-untrusted.ipynb`), JSON.stringify(copy, null, 1));
  }
  plots.writePlotlyFile(join(home, 'notebooks'));
  const sign = spawnSync('/usr/bin/python3', ['-c', 'from nbformat.sign import TrustNotebookApp; TrustNotebookApp.launch_instance()', ...signed], { encoding: 'utf8' });
  if (sign.status !== 0) throw new Error(`could not sign the notebooks: ${sign.stderr}`);
  return home;
}

const env = { ...process.env, PATH: `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`, PYTHONWARNINGS: 'ignore' };

/** Starts a notebook server and resolves once it answers; returns { base, token, stop }. */
async function startServer(kind, home) {
  const token = randomBytes(16).toString('hex');
  const port = await freePort();
  let cmd;
  let args;
  let serverEnv = env;
  if (kind === 'classic') {
    cmd = 'jupyter-notebook';
    args = ['--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--NotebookApp.token=${token}`,
      `--notebook-dir=${home}`, '--NotebookApp.open_browser=False', '--allow-root'];
  } else {
    // Private settings: no windowing (every cell in the DOM, so every figure can be counted) and no news
    // fetch; the app object is exposed to the page so the test can run its commands.
    const settings = join(home, '.lab-settings');
    mkdirSync(join(settings, '@jupyterlab', 'notebook-extension'), { recursive: true });
    mkdirSync(join(settings, '@jupyterlab', 'apputils-extension'), { recursive: true });
    writeFileSync(join(settings, '@jupyterlab', 'notebook-extension', 'tracker.jupyterlab-settings'), JSON.stringify({ windowingMode: 'none' }));
    writeFileSync(join(settings, '@jupyterlab', 'apputils-extension', 'notification.jupyterlab-settings'), JSON.stringify({ fetchNews: 'false', checkForUpdates: false }));
    serverEnv = { ...env, JUPYTERLAB_SETTINGS_DIR: settings, JUPYTERLAB_WORKSPACES_DIR: join(home, '.lab-workspaces') };
    cmd = labPython;
    args = ['-m', 'jupyterlab', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--ServerApp.port_retries=0',
      `--ServerApp.token=${token}`, `--ServerApp.root_dir=${home}`, '--LabApp.expose_app_in_browser=True', '--allow-root'];
  }
  const server = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env: serverEnv, cwd: home });
  let log = '';
  server.stderr.on('data', (b) => { log = (log + b.toString()).slice(-6000); });
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 240; i++) {
    try {
      const r = await fetch(`${base}/api/status?token=${token}`);
      if (r.ok) return { base, token, stop: () => server.kill('SIGTERM') };
    } catch { /* not up yet */ }
    if (server.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  server.kill('SIGTERM');
  throw new Error(`the ${kind} notebook server did not answer on ${base}: ${log.slice(-1500)}`);
}

/** Figures a saved notebook holds: outputs with a plotly JSON part or a `div.dr-figure` in their HTML. */
function expectedFigures(file) {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  const text = (v) => (Array.isArray(v) ? v.join('') : String(v ?? ''));
  return nb.cells.flatMap((c) => c.outputs ?? []).filter((o) => o.data?.['application/vnd.plotly.v1+json'] || /class="dr-figure"/.test(text(o.data?.['text/html']))).length;
}

/**
 * The figures in the page: each `div.dr-figure` (the package's HTML part) or `.jp-RenderedPlotly` output
 * (JupyterLab's plotly renderer, where installed); how many drew a plotly SVG; and how many are shown
 * without a live plot as a decoded, not blank static image (more than one colour in a canvas copy) with
 * a visible note on how to trust the notebook; and, for JupyterLab's plotly renderer, how many are
 * not drawn and how many of those show the renderer's saved PNG (visible, not blank).
 */
const figureState = (page) => page.evaluate(() => {
  const figs = [...document.querySelectorAll('.dr-figure, .jp-RenderedPlotly')];
  const visible = (e) => Boolean(e && e.offsetParent !== null && getComputedStyle(e).display !== 'none' && e.getBoundingClientRect().height > 0);
  const notBlank = (img) => {
    if (!(img && img.complete && img.naturalWidth > 0 && img.naturalHeight > 0)) return false;
    const c = document.createElement('canvas');
    c.width = Math.min(img.naturalWidth, 400);
    c.height = Math.min(img.naturalHeight, 300);
    const g = c.getContext('2d');
    g.drawImage(img, 0, 0, c.width, c.height);
    const px = g.getImageData(0, 0, c.width, c.height).data;
    const [r, gr, b] = [px[0], px[1], px[2]];
    let differ = 0;
    for (let i = 0; i < px.length; i += 4) if (Math.abs(px[i] - r) + Math.abs(px[i + 1] - gr) + Math.abs(px[i + 2] - b) > 60) differ++;
    return differ > (c.width * c.height) / 200; // > 0.5% of the pixels differ from the background
  };
  const drawn = (f) => Boolean(f.querySelector('svg.main-svg'));
  // The image and the note are siblings of the figure's div in one output.
  const staticShown = (f) => {
    const out = f.parentElement;
    return !drawn(f) && [...out.querySelectorAll('img.dr-figure-png')].some((i) => visible(i) && notBlank(i))
      && [...out.querySelectorAll('.dr-figure-note')].some((n) => visible(n) && /Trust Notebook/.test(n.textContent));
  };
  // JupyterLab's plotly renderer on a notebook it saved: its saved PNG until the pointer enters it.
  const rendererPng = (f) => f.classList.contains('jp-RenderedPlotly') && !drawn(f) && [...f.querySelectorAll('img.plot-img')].some((i) => visible(i) && notBlank(i));
  return {
    figures: figs.length,
    svg: figs.filter(drawn).length,
    staticWithNote: figs.filter(staticShown).length,
    renderer: document.querySelectorAll('.jp-RenderedPlotly').length,
    rendererUndrawn: figs.filter((f) => f.classList.contains('jp-RenderedPlotly') && !drawn(f)).length,
    rendererPng: figs.filter(rendererPng).length,
  };
});

/** The classic notebook's page API (window.Jupyter). */
const classicUi = {
  url: (base, name, token) => `${base}/notebooks/notebooks/${name}?token=${token}`,
  loaded: () => window.Jupyter?.notebook?._fully_loaded === true,
  trusted: () => Boolean(window.Jupyter?.notebook?.trusted),
  kernelReady: () => Boolean(window.Jupyter?.notebook?.kernel?.is_connected()),
  counts: () => window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').map((c) => (typeof c.input_prompt_number === 'number' ? c.input_prompt_number : null)),
  runAll: () => { window.Jupyter.notebook.execute_all_cells(); },
  // execute_all_cells marks every code cell '*' at once; done when none is left queued or running and the
  // kernel is idle (a cell after an error is aborted: it keeps no number, which the caller reports).
  finished: () => {
    const n = window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').map((c) => c.input_prompt_number);
    return n.length > 0 && n.every((x) => x !== '*') && !window.Jupyter.notebook.kernel_busy;
  },
  shutdown: async () => { await window.Jupyter.notebook.session?.delete(); },
  // Error outputs, and stderr of cells left without a number (tslab reports compile errors on stderr).
  errors: () => window.Jupyter.notebook.get_cells().filter((c) => c.cell_type === 'code').flatMap((c) => (c.output_area?.outputs ?? [])
    .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr' && typeof c.input_prompt_number !== 'number'))
    .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : String(o.text).slice(0, 300)))),
  save: async () => { await window.Jupyter.notebook.save_notebook(); },
  clean: () => !window.Jupyter.notebook.dirty,
};

/** JupyterLab's page API (window.jupyterapp, exposed by --LabApp.expose_app_in_browser). */
const labUi = {
  url: (base, name, token) => `${base}/lab/tree/notebooks/${name}?token=${token}&reset`,
  loaded: () => {
    const w = window.jupyterapp?.shell?.currentWidget;
    return Boolean(w?.context?.isReady && w.content?.widgets?.length && w.content.widgets.every((c) => c.isAttached !== false));
  },
  trusted: () => {
    const cells = [...window.jupyterapp.shell.currentWidget.content.model.cells];
    const code = cells.filter((c) => c.type === 'code' && c.outputs?.length);
    return code.length > 0 && code.every((c) => c.trusted);
  },
  kernelReady: () => window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === 'idle',
  counts: () => [...window.jupyterapp.shell.currentWidget.content.model.cells].filter((c) => c.type === 'code').map((c) => c.executionCount ?? null),
  // The command's promise settles when every cell has run.
  runAll: async () => { await window.jupyterapp.commands.execute('notebook:run-all-cells'); },
  finished: () => window.jupyterapp.shell.currentWidget.sessionContext?.session?.kernel?.status === 'idle',
  shutdown: async () => { await window.jupyterapp.shell.currentWidget?.sessionContext?.shutdown(); },
  errors: () => [...window.jupyterapp.shell.currentWidget.content.model.cells].filter((c) => c.type === 'code')
    .flatMap((c) => Array.from({ length: c.outputs.length }, (_, i) => c.outputs.get(i).toJSON())
      .filter((o) => o.output_type === 'error' || (o.output_type === 'stream' && o.name === 'stderr' && typeof c.executionCount !== 'number'))
      .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : String(o.text).slice(0, 300)))),
  save: async () => { await window.jupyterapp.commands.execute('docmanager:save'); },
  clean: () => !window.jupyterapp.shell.currentWidget.context.model.dirty,
};

/** Runs every check in one front end; returns the folder of saved notebooks (for the HTML export). */
async function frontEnd(kind, browser) {
  const ui = kind === 'classic' ? classicUi : labUi;
  const label = kind === 'classic' ? 'classic notebook' : `JupyterLab ${labVersion}`;
  const home = serverHome();
  let server;
  let context;
  try {
    server = await startServer(kind, home);
    context = await browser.newContext({ viewport: { width: 1280, height: 1600 } });
    // Offline: any request that is not to this server fails the test.
    const outside = [];
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(server.base) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    let current;
    const open = async (name) => {
      // One kernel at a time: the previous notebook's kernel is shut down with its tab.
      if (current) await current.evaluate(ui.shutdown).catch(() => {});
      if (current) await current.close({ runBeforeUnload: false });
      current = await context.newPage();
      await current.goto(ui.url(server.base, name, server.token), { waitUntil: 'load', timeout: 180_000 });
      await current.waitForFunction(ui.loaded, null, { timeout: 120_000, polling: 250 });
      return current;
    };
    const waitDrawn = async (page, what, want) => {
      let waited = '';
      const timeout = Number(process.env.DR_BROWSER_DRAW_TIMEOUT_MS ?? 300_000); // the first page parses 4.8 MB of plotly.js: slow on a loaded CI machine
      try {
        // Drawn, or (JupyterLab's plotly renderer on a notebook it saved) its saved PNG shown.
        await page.waitForFunction((n) => {
          const f = [...document.querySelectorAll('.dr-figure, .jp-RenderedPlotly')];
          const png = (d) => [...d.querySelectorAll('img.plot-img')].some((i) => i.complete && i.naturalWidth > 0 && getComputedStyle(i).display !== 'none');
          return f.length >= n && f.every((d) => d.querySelector('svg.main-svg') || png(d));
        }, want, { timeout, polling: 250 });
      } catch (err) { waited = ` (waiting: ${String(err?.message ?? err).split('\n')[0]})`; }
      // The renderer shows the PNG it saved until the pointer enters it, then draws the live plot: check
      // the image is not blank, hover it, and require the SVG.
      const before = await figureState(page);
      const saved = before.rendererUndrawn;
      if (saved > 0) {
        const shown = before.rendererPng;
        check(shown === saved, `${label}: ${what}: ${shown} of ${saved} figures the plotly renderer saved show its PNG, not blank, before any interaction`);
        const images = page.locator('.jp-RenderedPlotly img.plot-img');
        for (let i = 0; i < (await images.count()); i++) {
          const img = images.nth(i);
          if (await img.isVisible()) {
            await img.scrollIntoViewIfNeeded();
            // force: the output area's overlay (collapser, prompt) may cover part of the image; the pointer still moves there.
            await img.hover({ force: true, timeout: 10_000 });
          }
        }
        try {
          await page.waitForFunction((n) => [...document.querySelectorAll('.dr-figure, .jp-RenderedPlotly')].filter((d) => d.querySelector('svg.main-svg')).length >= n, want, { timeout, polling: 250 });
        } catch (err) { waited = ` (waiting after hovering: ${String(err?.message ?? err).split('\n')[0]})`; }
      }
      const s = await figureState(page);
      // On a failure, say what each undrawn figure's output holds instead.
      const undrawn = s.svg === want ? [] : await page.evaluate(() => [...document.querySelectorAll('.dr-figure, .jp-RenderedPlotly')]
        .filter((f) => !f.querySelector('svg.main-svg'))
        .map((f) => `${f.className}: ${f.getBoundingClientRect().width}×${f.getBoundingClientRect().height}, ${f.children.length} children, ${f.innerHTML.replace(/data:[^"]{40}[^"]*/g, 'data:…').slice(0, 240)}`));
      check(want > 0 && s.figures === want && s.svg === want, `${label}: ${what}: ${s.svg} of ${want} figures drew an SVG${s.figures !== want ? ` (${s.figures} found)` : ''}${s.renderer ? ` (${s.renderer} by the plotly renderer${saved ? `, ${saved} live after hovering its saved PNG` : ''})` : ''}${s.svg === want ? '' : waited}${undrawn.length ? `; undrawn: ${undrawn.join(' | ')}` : ''}`);
    };
    const runAll = async (page, name, round) => {
      await page.waitForFunction(ui.kernelReady, null, { timeout: 120_000, polling: 250 });
      const before = await page.evaluate(ui.counts);
      const t0 = performance.now();
      await page.evaluate(ui.runAll);
      await page.waitForFunction(ui.finished, null, { timeout: 900_000, polling: 1000 });
      const after = await page.evaluate(ui.counts);
      // A second run in the same kernel numbers every cell after the first run's last number.
      if (round > 1) check(Math.min(...after) > Math.max(...before), `${label}: ${name}: Run All #${round} ran in the same kernel (cells ${Math.min(...after)}…${Math.max(...after)} after ${Math.max(...before)})`);
      const errors = await page.evaluate(ui.errors);
      const unnumbered = after.filter((x) => typeof x !== 'number').length;
      if (unnumbered) errors.push(`${unnumbered} code cell(s) did not run`);
      check(errors.length === 0, `${label}: ${name}: Run All #${round} in one kernel finished in ${((performance.now() - t0) / 1000).toFixed(0)} s${errors.length ? `: ${errors.join('; ')}` : ' without errors'}`);
    };

    for (const stem of stems) {
      const want = expectedFigures(join(home, 'notebooks', `${stem}.ipynb`));
      let page = await open(`${stem}.ipynb`);
      check(await page.evaluate(ui.trusted), `${label}: ${stem}: the signed notebook opens as trusted`);
      await waitDrawn(page, `${stem} trusted, as executed`, want);
      if (stem === stems[0]) await page.screenshot({ path: join(dir, `${stem}.live-trusted${kind === 'lab' ? '-lab' : ''}.png`) });
      page = await open(`${stem}-untrusted.ipynb`);
      await page.waitForTimeout(1500);
      const u = await figureState(page);
      check(!(await page.evaluate(ui.trusted)), `${label}: ${stem}: the unsigned copy opens as untrusted`);
      // Never blank: each figure shows its static image (not blank) and how to trust the notebook, or, in a
      // JupyterLab with the plotly renderer (Python's plotly package), the live plot it draws from the JSON part.
      check(want > 0 && u.figures === want && u.staticWithNote + u.svg === want && (u.staticWithNote === want || (kind === 'lab' && u.renderer === u.svg)),
        `${label}: ${stem} untrusted: ${u.staticWithNote} of ${want} figures show a static image that is not blank and a note on how to trust the notebook${u.svg ? `, ${u.svg} a live plot (plotly renderer)` : ''}`);
      if (stem === stems[0]) await page.screenshot({ path: join(dir, `${stem}.live-untrusted${kind === 'lab' ? '-lab' : ''}.png`) });
    }
    for (const stem of rerun) {
      let page = await open(`${stem}.ipynb`);
      await runAll(page, stem, 1);
      await runAll(page, stem, 2);
      const want = expectedFigures(join(home, 'notebooks', `${stem}.ipynb`));
      await waitDrawn(page, `${stem} after Run All twice`, want);
      await page.evaluate(ui.save);
      await page.waitForFunction(ui.clean, null, { timeout: 60_000 }).catch(() => {});
      const saved = join(home, 'notebooks', `${stem}.ipynb`);
      const bytes = statSync(saved).size;
      check(bytes < 3e6, `${label}: ${stem} saved after Run All twice is ${(bytes / 1e6).toFixed(2)} MB (< 3 MB)`);
      check(!readFileSync(saved, 'utf8').includes('window.Plotly = Plotly'), `${label}: ${stem}: the saved notebook inlines no plotly.js`);
      page = await open(`${stem}.ipynb`);
      check(await page.evaluate(ui.trusted), `${label}: ${stem}: saved after Run All twice, it reopens as trusted`);
      check(expectedFigures(saved) === want, `${label}: ${stem}: the saved notebook holds all ${want} figures`);
      await waitDrawn(page, `${stem} run twice, saved and reopened`, want);
    }
    if (current) await current.evaluate(ui.shutdown).catch(() => {});
    if (current) await current.close({ runBeforeUnload: false });
    check(outside.length === 0, `${label}: no request left the notebook server${outside.length ? ` (${outside.slice(0, 3).join(', ')})` : ''}`);
    return home;
  } catch (err) {
    check(false, `${label}: browser test stopped: ${err?.message ?? err}`);
    return home;
  } finally {
    await context?.close().catch(() => {});
    server?.stop();
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** The nbconvert HTML export of each notebook run twice and saved, opened in Chromium: every figure drew. */
async function exportsOfReruns(home) {
  for (const stem of rerun) {
    const saved = join(home, 'notebooks', `${stem}.ipynb`);
    const out = `${stem}.run-twice`;
    const html = spawnSync('jupyter', ['nbconvert', '--to', 'html', saved, '--output-dir', join(home, 'notebooks'), '--output', out], { encoding: 'utf8', env });
    if (html.status !== 0) {
      check(false, `nbconvert HTML export of ${stem} run twice: ${html.stderr.slice(-800)}`);
      continue;
    }
    const file = join(home, 'notebooks', `${out}.html`);
    const expected = (readFileSync(file, 'utf8').match(/class="dr-figure"/g) ?? []).length;
    try {
      const drawn = await plots.checkHtmlFigures(file, { timeoutMs: 300_000 });
      const ok = drawn.filter(plots.figureHasContent).length;
      check(expected > 0 && drawn.length === expected && ok === expected, `nbconvert HTML export of ${stem} run twice in one kernel: ${ok} of ${expected} figures drawn`);
    } catch (err) {
      check(false, `nbconvert HTML export of ${stem} run twice: Chromium check failed: ${err?.message ?? err}`);
    }
  }
}

say(`${stems.length} executed notebook(s): ${stems.join(', ')}; run twice, saved and reopened: ${rerun.join(', ') || 'none'}`);
const homes = [];
let browser;
try {
  browser = await playwright.chromium.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const classicHome = await frontEnd('classic', browser);
  homes.push(classicHome);
  await exportsOfReruns(classicHome);
  if (labVersion) homes.push(await frontEnd('lab', browser));
} catch (err) {
  check(false, `browser test stopped: ${err?.message ?? err}`);
} finally {
  await browser?.close().catch(() => {});
  for (const h of homes) rmSync(h, { recursive: true, force: true });
}
const seconds = ((performance.now() - started) / 1000).toFixed(0);
if (failures) {
  say(`${failures} of ${checks} check(s) failed against the live notebook server(s) (${seconds} s)`);
  process.exit(1);
}
say(`all ${checks} checks passed against the live notebook server(s): classic notebook${labVersion ? ` and JupyterLab ${labVersion}` : ''}, trusted and untrusted, and the HTML exports (${seconds} s)`);
