#!/usr/bin/env node
// Executes every notebook in notebooks/ headless (jupyter nbconvert + the tslab kernel), writing the
// executed copies and HTML exports under results/notebooks/ (beside one shared plotly.min.js), and fails
// on any cell error. Every executed notebook must stay under 3 MB and inline no plotly.js. With --test it
// also opens each HTML export in headless Chromium, asserts that every figure drew (plotly SVG with
// traces that have points, lines or heatmap images) and that no script comes from a server, saves a
// screenshot, and then runs scripts/browser-check-notebooks.mjs against a live notebook server. A
// generated notebook importing every public export by name checks that the package's types resolve
// under tslab's own TypeScript.
// Without Jupyter / the tslab kernel / Chromium: skip with a message, except under CI=true (then fail).
//
// Usage: node scripts/run-notebooks.mjs [--test] [--only 00,02] [--dist dist] [--timeout 900]
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { entryPointsNotebook } from './entry-points-notebook.mjs';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : fallback;
};
const testMode = flag('--test');
const only = option('--only', '').split(',').filter(Boolean);
const distDir = resolve(root, option('--dist', 'dist'));
const timeout = Number(option('--timeout', '900'));
const ci = process.env.CI === 'true';
const outDir = join(root, 'results', 'notebooks');
const env = { ...process.env, PATH: [join(root, 'node_modules', '.bin'), process.env.PATH ?? ''].join(delimiter), PYTHONWARNINGS: 'ignore' };

function skip(message) {
  if (ci) {
    console.error(`run-notebooks: ${message} (CI=true: failing)`);
    process.exit(1);
  }
  console.error(`run-notebooks: ${message}; skipping the notebooks`);
  process.exit(0);
}

function run(cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', env, maxBuffer: 1 << 28, ...opts });
}

// 1. Tools.
const nbv = run('jupyter', ['nbconvert', '--version']);
if (nbv.status !== 0) skip('`jupyter nbconvert` is not available (apt-get install -y jupyter-nbconvert python3-nbclient jupyter-client python3-ipykernel jupyter-notebook)');
const specs = run('jupyter', ['kernelspec', 'list', '--json']);
let kernels = {};
try { kernels = JSON.parse(specs.stdout).kernelspecs ?? {}; } catch { /* reported below */ }
if (!kernels.tslab) skip('the tslab Jupyter kernel is not registered (npx tslab install --python=/usr/bin/python3)');
if (!existsSync(join(distDir, 'src', 'index.js'))) {
  console.error(`run-notebooks: ${join(distDir, 'src', 'index.js')} not found; run \`npm run build\` first`);
  process.exit(1);
}
const plots = await import(pathToFileURL(join(distDir, 'src', 'plots', 'index.js')).href);
if (testMode && !plots.findChromium()) skip('no headless Chromium for the figure checks (apt-get install -y chromium)');

// 2. Stage: the notebooks import '../dist/src/index.js', so a stage folder holds copies of them beside
// a `dist` link to the build being tested, plus the generated entry-point notebook.
const stage = join(outDir, '.stage');
const MAX_NOTEBOOK_BYTES = 3e6;
rmSync(stage, { recursive: true, force: true });
mkdirSync(join(stage, 'notebooks'), { recursive: true });
symlinkSync(distDir, join(stage, 'dist'), 'dir');
let names = readdirSync(join(root, 'notebooks')).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
if (only.length) names = names.filter((f) => only.some((o) => f.startsWith(o)));
for (const f of names) copyFileSync(join(root, 'notebooks', f), join(stage, 'notebooks', f));

const entry = 'zz-entry-points.ipynb';
if (!only.length || only.includes('zz')) {
  writeFileSync(join(stage, 'notebooks', entry), JSON.stringify(entryPointsNotebook(distDir), null, 1));
  names.push(entry);
}

/** stderr text and error outputs of each cell of an executed notebook, as "cell i: …" lines. */
function notebookStderr(file) {
  const nb = JSON.parse(readFileSync(file, 'utf8'));
  const text = (v) => (Array.isArray(v) ? v.join('') : String(v ?? ''));
  const out = [];
  nb.cells.forEach((cell, i) => {
    const msgs = (cell.outputs ?? [])
      .filter((o) => (o.output_type === 'stream' && o.name === 'stderr') || o.output_type === 'error')
      .map((o) => (o.output_type === 'error' ? `${o.ename}: ${o.evalue}` : text(o.text)).trim())
      .filter(Boolean);
    if (msgs.length) out.push(`cell ${i}: ${msgs.join(' | ').slice(0, 1200)}`);
  });
  return out;
}

/**
 * Signs an executed notebook as trusted, so JupyterLab / the classic notebook run its figure scripts when it
 * is reopened. Debian ships nbformat without the `jupyter trust` launcher, hence the Python fallback.
 */
function trustNotebook(file) {
  if (run('jupyter', ['trust', file]).status === 0) return;
  for (const py of ['/usr/bin/python3', 'python3']) {
    if (run(py, ['-c', 'from nbformat.sign import TrustNotebookApp; TrustNotebookApp.launch_instance()', file]).status === 0) return;
  }
  console.error(`run-notebooks: could not sign ${file} as trusted (its figures show static images until trusted: JupyterLab command palette "Trust Notebook", classic File > Trust Notebook)`);
}

// 3. Execute, export, check.
mkdirSync(outDir, { recursive: true });
const report = [];
let failed = 0;
for (const name of names) {
  const stem = name.replace(/\.ipynb$/, '');
  const row = { notebook: name, executeSeconds: NaN, megabytes: NaN, status: 'ok', figures: 0, drawn: 0, detail: '' };
  report.push(row);
  process.stderr.write(`run-notebooks: ${name} … `);
  const t0 = performance.now();
  const ex = run('jupyter', [
    'nbconvert', '--to', 'notebook', '--execute', join(stage, 'notebooks', name), '--output-dir', outDir, '--output', stem,
    '--ExecutePreprocessor.kernel_name=tslab', `--ExecutePreprocessor.timeout=${timeout}`,
  ]);
  row.executeSeconds = (performance.now() - t0) / 1000;
  if (ex.status !== 0) {
    row.status = 'cell error';
    const lines = `${ex.stderr}`.trim().split('\n');
    const at = lines.findIndex((l) => l.includes('CellExecutionError'));
    // tslab reports type errors as a stderr stream, which the CellExecutionError does not carry: run the
    // notebook again with --allow-errors and collect every cell's stderr for the report.
    const again = run('jupyter', [
      'nbconvert', '--to', 'notebook', '--execute', join(stage, 'notebooks', name), '--output-dir', outDir, '--output', `${stem}.failed`,
      '--ExecutePreprocessor.kernel_name=tslab', `--ExecutePreprocessor.timeout=${timeout}`, '--allow-errors',
    ]);
    const streams = again.status === 0 ? notebookStderr(join(outDir, `${stem}.failed.ipynb`)) : [];
    row.detail = [lines.slice(at >= 0 ? at : -15).join('\n'), ...streams].join('\n').slice(-4000);
    failed++;
    process.stderr.write(`FAILED after ${row.executeSeconds.toFixed(0)} s\n${row.detail}\n`);
    continue;
  }
  const executed = join(outDir, `${stem}.ipynb`);
  trustNotebook(executed);
  // The figures' live plots load plotly.min.js beside the notebook (showFigure wrote it into the stage).
  plots.writePlotlyFile(outDir);
  const bytes = statSync(executed).size;
  row.megabytes = bytes / 1e6;
  const html = run('jupyter', ['nbconvert', '--to', 'html', executed, '--output-dir', outDir, '--output', stem]);
  if (html.status !== 0) {
    row.status = 'html export failed';
    row.detail = `${html.stderr}`.slice(-2000);
    failed++;
    process.stderr.write(`HTML export FAILED\n${row.detail}\n`);
    continue;
  }
  const htmlFile = join(outDir, `${stem}.html`);
  const text = readFileSync(htmlFile, 'utf8');
  row.figures = (text.match(/class="dr-figure"/g) ?? []).length;
  const problems = [];
  if (bytes >= MAX_NOTEBOOK_BYTES) problems.push(`executed notebook is ${(bytes / 1e6).toFixed(2)} MB (limit 3 MB)`);
  if (readFileSync(executed, 'utf8').includes('window.Plotly = Plotly')) problems.push('the executed notebook inlines plotly.js');
  const pngs = (text.match(/class="dr-figure-png"/g) ?? []).length;
  if (plots.findChromium() && pngs !== row.figures) problems.push(`${pngs} static PNG fallbacks for ${row.figures} figures`);
  if (/<script[^>]*src="https?:\/\/[^"]*plot\.?ly/i.test(text)) problems.push('a script loads plotly from a server');
  if (testMode && row.figures > 0) {
    try {
      const drawn = await plots.checkHtmlFigures(htmlFile, { screenshot: join(outDir, `${stem}.png`), height: 3000, timeoutMs: 300_000 });
      row.drawn = drawn.filter(plots.figureHasContent).length;
      const bad = drawn.filter((f) => !plots.figureHasContent(f));
      if (drawn.length !== row.figures) problems.push(`Chromium found ${drawn.length} of ${row.figures} figure divs`);
      if (bad.length) problems.push(`figures not drawn: ${bad.map((f) => `${f.id} (traces ${f.traces}, points ${f.points}, lines ${f.lines}, heatmaps ${f.heatmaps})`).join('; ')}`);
    } catch (err) {
      problems.push(`Chromium check failed: ${err?.message ?? err}`);
    }
  }
  if (problems.length) {
    row.status = 'figure check failed';
    row.detail = problems.join('; ');
    failed++;
  }
  process.stderr.write(`${row.status} in ${row.executeSeconds.toFixed(0)} s; ${row.figures} figure(s)${testMode ? `, ${row.drawn} drawn` : ''}${row.detail ? `: ${row.detail}` : ''}\n`);
}
// A live notebook server in a real browser: figures after Run All twice, save and reload, trusted and not.
if (testMode && !failed && process.env.DR_SKIP_BROWSER !== '1') {
  const browser = spawnSync(process.execPath, [join(root, 'scripts', 'browser-check-notebooks.mjs'), '--dir', outDir, '--dist', distDir], { stdio: 'inherit', env, cwd: root });
  if (browser.status !== 0) {
    failed++;
    report.push({ notebook: 'live server (browser-check-notebooks)', executeSeconds: NaN, megabytes: NaN, status: 'failed', figures: 0, drawn: 0, detail: `exit ${browser.status}` });
  }
}
writeFileSync(join(outDir, 'summary.json'), `${JSON.stringify({ at: new Date().toISOString(), test: testMode, dist: distDir, notebooks: report }, null, 2)}\n`);
console.log('notebook                                        execute s     MB  figures  drawn  status');
for (const r of report) console.log(`${r.notebook.padEnd(47)} ${r.executeSeconds.toFixed(1).padStart(9)}  ${r.megabytes.toFixed(2).padStart(5)}  ${String(r.figures).padStart(7)}  ${testMode ? String(r.drawn).padStart(5) : '    -'}  ${r.status}`);
if (failed) {
  console.error(`run-notebooks: ${failed} of ${report.length} notebook(s) failed (details above and in results/notebooks/summary.json)`);
  process.exit(1);
}
console.log(`run-notebooks: all ${report.length} notebooks executed${testMode ? ' and every figure drew in Chromium' : ''}; outputs in results/notebooks/`);
