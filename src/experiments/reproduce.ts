import * as aq from 'arquero';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import type { Linalg } from '../linalg/types.js';
import { defaultLinalg } from '../linalg/select.js';
import type { ProbeKind } from '../probe/types.js';
import { dataDir } from '../util/paths.js';
import { Progress, stderrProgress, type ProgressSink } from '../util/progress.js';
import { writeArrowTable, writeCsvTable } from '../sweep/arrowIo.js';
import { writeFileAtomicSync as writeFileAtomic } from '../util/atomicWrite.js';
import { defaultGrid } from './grids.js';
import { figuresPage } from './html.js';
import { findChromium, plotlyBundlePath, plotScriptJson, renderHtml, renderPng, screenshotHtml, writePlotlyFile } from '../plots/index.js';
import { pathToFileURL } from 'node:url';
import { EXPERIMENTS } from './registry.js';
import { renderReport } from './report.js';
import { ZOO_ROLES } from './roles.js';
import type { FeatureSource } from './source.js';
import { syntheticFeatureSource } from './syntheticSource.js';
import { EXPERIMENT_IDS, type ExperimentContext, type ExperimentId, type ExperimentOutput } from './types.js';
import { zooFeatureSource } from './zooSource.js';
import { combinedFeatureSource, pretrainedFeatureSource } from './pretrainedSource.js';

/** Options of {@link reproduce}. */
export interface ReproduceOptions {
  /** Which experiments (default all, E1…E11). */
  experiments?: readonly ExperimentId[];
  /** Small image subsets, reduced grid, ridge probes (default false). */
  quick?: boolean;
  /** Output folder (default `results`). */
  out?: string;
  /**
   * Feature source: `auto` (the real pre-trained MobileNetV2s beside the zoo when both exist, else the zoo,
   * else synthetic), `zoo` (zoo only), `pretrained` (the real networks only), `synthetic`, or a source object.
   */
  source?: 'auto' | 'zoo' | 'pretrained' | 'synthetic' | FeatureSource;
  /** Input side of the real networks (default 96). */
  inputSize?: number;
  /** Extraction worker threads for the real networks (default: one per core). */
  workers?: number;
  /** Override the grid's probe / seeds / fractions. */
  probe?: ProbeKind;
  seeds?: number[];
  fractions?: number[];
  linalg?: Linalg;
  /** Write PNGs beside the HTML figures when a headless Chromium is available (default true). */
  png?: boolean;
  progress?: ProgressSink | false;
  log?: (line: string) => void;
}

/** What {@link reproduce} wrote. */
export interface ReproduceOutcome {
  outputs: ExperimentOutput[];
  failures: Array<{ id: ExperimentId; error: string }>;
  reportPath: string;
  files: string[];
  seconds: number;
  sourceKind: 'zoo' | 'synthetic';
}

/** The given Linalg, or the fastest available one. */
export async function pickLinalg(given?: Linalg): Promise<Linalg> {
  return given ?? defaultLinalg();
}

/** The feature source named by `opts.source` (`auto`: the zoo when its standard model exists, else synthetic). */
export async function pickSource(opts: ReproduceOptions, progress: ProgressSink | undefined): Promise<FeatureSource> {
  const s = opts.source ?? 'auto';
  if (typeof s === 'object') return s;
  if (s === 'synthetic') return syntheticFeatureSource();
  const quick = Boolean(opts.quick);
  const real = () => pretrainedFeatureSource({ quick, progress, inputSize: opts.inputSize, workers: opts.workers });
  if (s === 'pretrained') return real();
  const hasZoo = existsSync(join(dataDir(), 'models', ZOO_ROLES.standard, 'model.json'));
  if (s === 'zoo') return zooFeatureSource({ quick, progress });
  if (hasZoo) {
    const zoo = await zooFeatureSource({ quick, progress });
    const pre = await real();
    return pre.models().length ? combinedFeatureSource(zoo, pre) : zoo;
  }
  const pre = await real();
  return pre.models().length ? pre : syntheticFeatureSource();
}

/**
 * Columns of a probe sweep's rows kept in the Arrow file only: the per-class accuracies, validation curves,
 * hyper-parameter JSON and bit-packed per-row outcomes, which as CSV text made up 88% of `results/` CSVs
 * and are unreadable in a spreadsheet.
 */
export const ARROW_ONLY_COLUMNS: readonly string[] = ['perClassAccuracy', 'validationL2', 'validationAccuracy', 'hyper', 'correct'];

/** The table to write as CSV: every column but {@link ARROW_ONLY_COLUMNS}. */
function csvColumns(table: aq.ColumnTable): aq.ColumnTable {
  const dropped = table.columnNames().filter((c) => ARROW_ONLY_COLUMNS.includes(c));
  return dropped.length ? table.select(aq.not(dropped)) : table;
}

/**
 * PNGs through src/plots' headless Chromium: one per figure in full runs; in quick runs one image of the
 * experiment's whole figure page (one Chromium start per experiment instead of one per figure, which
 * would cost minutes). Returns the files written; a failure is logged and stops the PNGs of that experiment.
 */
async function writePngs(dir: string, output: ExperimentOutput, quick: boolean, log: (l: string) => void, sink: ProgressSink | false): Promise<string[]> {
  const files: string[] = [];
  const bar = new Progress(`reproduce: ${output.id} PNGs`, quick ? 1 : output.figures.length, sink || undefined, quick ? 'pages' : 'figures');
  if (sink) log(`reproduce: ${output.id}: drawing ${quick ? 'its figure page' : `${output.figures.length} figures`} as PNG in headless Chromium …`);
  try {
    if (quick) {
      const tmp = mkdtempSync(join(tmpdir(), 'dr-figpage-'));
      try {
        const html = join(tmp, 'figures.html');
        writeFileAtomic(html, renderHtml(output.figures.map((f) => ({ spec: f.spec, name: f.name, caption: f.caption })), {
          title: output.title, static: true, plotlySrc: pathToFileURL(plotlyBundlePath()).href,
        }));
        const width = Math.max(...output.figures.map((f) => Number(f.spec.layout?.width) || 760)) + 20;
        const height = output.figures.reduce((h, f) => h + (Number(f.spec.layout?.height) || 480) + 140, 60);
        files.push(await screenshotHtml(html, join(dir, 'figures.png'), { width, height, budgetMs: 5000 }));
        bar.tick();
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
      return files;
    }
    for (const f of output.figures) {
      files.push(await renderPng(f.spec, join(dir, `${f.name}.png`)));
      bar.tick();
    }
  } catch (err: any) {
    log(`reproduce: PNGs of ${output.id} stopped (${err?.message ?? String(err)})`);
  }
  return files;
}

/**
 * Runs the paper's experiments (E1…E11) on the miniature zoo (or synthetic stand-ins) and writes, under
 * `out/`: every result table as Arrow and CSV (`E1/results.arrow`, `E1/results.csv`, …; the CSV without
 * {@link ARROW_ONLY_COLUMNS}), each experiment's
 * figures as one HTML page (`E1/figures.html`, loading the run's one shared `plotly.min.js`) plus the plotly spec per figure
 * (`E1/<figure>.json`) and PNGs when Chromium is available (per figure; `E1/figures.png` per page in quick runs), `summary.json` (every verdict) and
 * `report.html`. Sweeps are cached in `out/sweeps/` and resumed on rerun. An experiment that fails is
 * reported and the others still run.
 * @example
 * ```ts
 * const outcome = await reproduce({ quick: true, experiments: ['E1'], out: 'results' });
 * outcome.reportPath;
 * ```
 */
export async function reproduce(opts: ReproduceOptions = {}): Promise<ReproduceOutcome> {
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const out = resolve(opts.out ?? 'results');
  mkdirSync(out, { recursive: true });
  const log = opts.log ?? ((l: string) => process.stderr.write(`${l}\n`));
  const progress = opts.progress === undefined ? stderrProgress(2000) : opts.progress;
  const quick = Boolean(opts.quick);
  const grid = defaultGrid(quick);
  if (opts.probe) grid.probe = opts.probe;
  if (opts.seeds) grid.seeds = opts.seeds;
  if (opts.fractions) grid.fractions = opts.fractions;
  const source = await pickSource(opts, progress || undefined);
  const ctx: ExperimentContext = { source, grid, quick, linalg: await pickLinalg(opts.linalg), workDir: out, progress, log };
  log(`reproduce: ${source.description}; probe ${grid.probe}; ${quick ? 'quick' : 'full'} grid`);

  writePlotlyFile(out); // one shared minified plotly.js for report.html and every E*/figures.html
  const pngs = opts.png !== false && Boolean(findChromium());
  if (opts.png !== false && !pngs) log('reproduce: no Chromium found: figures as HTML only (install Debian\'s chromium for PNGs)');
  const ids = opts.experiments?.length ? [...opts.experiments] : [...EXPERIMENT_IDS];
  const outputs: ExperimentOutput[] = [];
  const failures: Array<{ id: ExperimentId; error: string }> = [];
  const files: string[] = [];
  const filesById: Record<string, string[]> = {};
  for (const id of ids) {
    const fn = EXPERIMENTS[id];
    log(`reproduce: ${id} …`);
    let output: ExperimentOutput;
    try {
      output = await fn(ctx);
    } catch (err: any) {
      failures.push({ id, error: err?.message ?? String(err) });
      log(`reproduce: ${id} failed: ${err?.message ?? String(err)}`);
      if (process.env.DR_DEBUG) log(String(err?.stack));
      continue;
    }
    outputs.push(output);
    const dir = join(out, id);
    const mine: string[] = [];
    for (const [name, table] of Object.entries(output.tables)) {
      writeArrowTable(join(dir, `${name}.arrow`), table);
      writeCsvTable(join(dir, `${name}.csv`), csvColumns(table));
      mine.push(`${id}/${name}.csv`, `${id}/${name}.arrow`);
    }
    if (output.figures.length) {
      writeFileAtomic(join(dir, 'figures.html'), figuresPage(`${id}: ${output.title}`, output.figures));
      mine.push(`${id}/figures.html`);
      for (const f of output.figures) {
        writeFileAtomic(join(dir, `${f.name}.json`), plotScriptJson(f.spec));
        mine.push(`${id}/${f.name}.json`);
      }
      if (pngs) for (const p of await writePngs(dir, output, quick, log, progress)) mine.push(`${id}/${p.slice(dir.length + 1)}`);
    }
    filesById[id] = mine;
    files.push(...mine.map((f) => join(out, f)));
    log(`reproduce: ${id} done in ${output.seconds.toFixed(1)} s (${output.verdicts.filter((v) => v.holds === true).length}/${output.verdicts.length} claims hold)`);
  }

  const seconds = (performance.now() - t0) / 1000;
  const summary = outputs.map((o) => ({ id: o.id, title: o.title, seconds: o.seconds, verdicts: o.verdicts, notes: o.notes }));
  // Which network every model name in the tables stands for, so each number can be traced to real weights or the zoo.
  const networks = source.models().map((m) => ({ model: m, ...source.modelInfo(m) }));
  writeFileAtomic(join(out, 'summary.json'), JSON.stringify({ startedAt, seconds, source: source.description, sourceKind: source.kind, networks, grid, experiments: summary, failures }, null, 2));
  writeFileAtomic(join(out, 'networks.csv'), ['model,network,width,provenance', ...networks.map((n) => [n.model, n.network ?? source.kind, n.width ?? '', JSON.stringify(n.provenance ?? n.purpose ?? '')].join(','))].join('\n') + '\n');
  const reportPath = join(out, 'report.html');
  writeFileAtomic(reportPath, renderReport(outputs, {
    source: source.description, sourceKind: source.kind, probe: grid.probe, seeds: grid.seeds, fractions: grid.fractions, quick,
    seconds, startedAt, machine: `${cpus().length} CPU cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`,
    sourceNotes: source.notes(), failures, files: filesById,
    realModels: networks.filter((n) => n.network === 'pretrained').map((n) => n.model),
  }));
  files.push(join(out, 'summary.json'), join(out, 'networks.csv'), reportPath);
  log(`reproduce: wrote ${reportPath} in ${seconds.toFixed(0)} s`);
  return { outputs, failures, reportPath, files, seconds, sourceKind: source.kind };
}
