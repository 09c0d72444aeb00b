import type * as aq from 'arquero';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { readFeatureCache } from '../cache/index.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { RidgeGram } from '../probe/ridge.js';
import { runProbe, type RunProbeOptions } from '../probe/run.js';
import type { ProbeKind, ProbeResult } from '../probe/types.js';
import { PROBES } from '../probe/registry.js';
import { PROBE_DEFAULTS, checkL2Setting, l2SettingKey, type L2Setting } from '../probe/defaults.js';
import { selectNeurons, SELECTION_METHODS, type SelectionMethod } from '../select/index.js';
import type { FeatureBlock } from '../types.js';
import { UsageError, OptionError } from '../util/errors.js';
import { Progress, stderrProgress, type ProgressSink } from '../util/progress.js';
import { rowsToTable } from '../summary/groups.js';
import { readArrowTable, writeArrowTable } from './arrowIo.js';
import { checkCompatiblePair } from '../cache/compat.js';
import { parseShard, type ShardSpec } from '../models/shards.js';
import { acquireLock } from '../util/lock.js';
import { requireFile } from '../util/fsErrors.js';
import { checkResumeIdentity, splitIdentity, sweepMetadata, type SweepFileMeta, type SweepIdentity } from './identity.js';
import { encodeCorrect } from '../summary/bootstrap.js';
import { deadUnitStats } from '../summary/deadUnits.js';

/** Neuron selection methods a sweep can run: every method of src/select. */
export type SweepSelection = SelectionMethod;

/** The selections, in the order the CLI lists them (src/select's {@link SELECTION_METHODS}). */
export const SWEEP_SELECTIONS: readonly SweepSelection[] = SELECTION_METHODS;

/** Selections whose outcome depends on the seed; the others run once per fraction. */
const SEEDED: ReadonlySet<string> = new Set(['random', 'randproj', 'randproj-gaussian', 'pca-lowrank', 'pca-lowrank-bottom']);

/** Features and labels of one split, already in memory (e.g. a `FeatureCacheData` from src/cache). */
export interface SweepSplit {
  features: FeatureBlock;
  labels: Int32Array;
  meta?: { modelId?: string; datasetId?: string; layer?: string; classNames?: string[]; weightsHash?: string; split?: string; preprocessing?: Record<string, unknown> };
  path?: string;
}

/** Columns of a sweep results table, in order. */
export const SWEEP_COLUMNS = [
  'model', 'dataset', 'layer', 'selection', 'rng', 'fraction', 'k', 'd', 'seed', 'probe', 'config',
  'accuracy', 'perClassAccuracy', 'seconds', 'hyper',
  'l2', 'validationL2', 'validationAccuracy',
  // Per-row outcomes (summary/bootstrap encodeCorrect) and the training split's dead / near-constant units (summary/deadUnits).
  'correct', 'deadUnits', 'nearConstantUnits',
] as const;

/** Options of {@link runSweep}. */
export interface SweepOptions {
  /** Training split: a feature-cache path or loaded features. */
  train: string | SweepSplit;
  /** Test split: a feature-cache path or loaded features (same d as train). */
  test: string | SweepSplit;
  /** Fractions of the layer in (0, 1]; k = max(1, floor(f·d)). The full layer (1) is added unless `includeFull` is false. */
  fractions?: readonly number[];
  /** Absolute neuron counts 1..d, recorded with fraction k/d (for width and Matryoshka experiments). */
  ks?: readonly number[];
  /** Seeds for seeded selections (random, randproj…); deterministic ones and the full layer run once with seed null. */
  seeds: readonly number[];
  /** Default ['random']. */
  selections?: readonly SweepSelection[];
  /** Default [PROBE_DEFAULTS.probe] (softmax). */
  probes?: readonly ProbeKind[];
  /** Probe penalty: 'auto' (default: chosen on a validation part of the training split), a fixed λ, or a grid. */
  l2?: L2Setting;
  standardize?: boolean;
  /** Random generator of `random` subsets: ours (default) or PyTorch-identical. */
  rng?: 'ours' | 'torch';
  includeFull?: boolean;
  softmax?: RunProbeOptions['softmax'];
  sgd?: RunProbeOptions['sgd'];
  /** Results Arrow file: finished cells already in it are skipped; new cells are appended (atomic rewrites). */
  out?: string;
  /** Labels written in the model / dataset columns (default: the cache metadata, else the file name). */
  model?: string;
  dataset?: string;
  linalg?: Linalg;
  /** Progress sink (default: stderr); `false` for silence. */
  progress?: ProgressSink | false;
  /** Rewrite the results file at most this often during the run (seconds, default 5); always at the end. */
  saveEverySeconds?: number;
  /** Ignore (and replace) an existing `out` instead of resuming it. */
  force?: boolean;
  /** Probe across train/test caches of different models, layers … (the differences are recorded in `out`). */
  allowMismatch?: boolean;
  /** Run only slice i of N of the grid (`"i/N"`, 0-based): cells j with j mod N = i, in the cheapest order. */
  shard?: string | ShardSpec;
}

/** What {@link runSweep} did. */
export interface SweepOutcome {
  /** All results: earlier rows from `out` plus the cells run now. */
  results: aq.ColumnTable;
  ran: number;
  skipped: number;
  seconds: number;
}

interface Cell {
  selection: SweepSelection;
  fraction: number;
  k: number;
  seed: number | null;
  probes: ProbeKind[];
}

async function loadSplit(split: string | SweepSplit, what: string): Promise<SweepSplit> {
  if (typeof split !== 'string') return split;
  requireFile(split, what);
  return readFeatureCache(split);
}

/** Canonical JSON of the settings that change a cell's outcome besides its coordinates. */
export function sweepConfigKey(opts: { l2?: L2Setting; standardize?: boolean; rng?: string; softmax?: unknown; sgd?: unknown }, probe: ProbeKind): string {
  const spec = PROBES[probe];
  const c: Record<string, unknown> = { l2: spec.usesPenalty ? l2SettingKey(opts.l2) : null, standardize: opts.standardize ?? false };
  const own = spec.settingsOption;
  if (own && opts[own]) c[own] = opts[own];
  return JSON.stringify(c);
}

function cellKey(selection: string, fraction: number, seed: number | null, probe: string, config: string): string {
  return `${selection}|${Number(fraction).toPrecision(12)}|${seed ?? 'null'}|${probe}|${config}`;
}

function kFor(fraction: number, d: number): number {
  return Math.min(d, Math.max(1, Math.floor(fraction * d + 1e-9)));
}

/** The grid, deduplicated, in execution order: per selection, fractions ascending, seeds. */
function planCells(opts: SweepOptions, d: number): Cell[] {
  const selections = opts.selections ?? ['random'];
  const probes = [...(opts.probes ?? [PROBE_DEFAULTS.probe])];
  const points = new Map<string, { fraction: number; k: number }>();
  for (const f of opts.fractions ?? []) {
    if (!(f > 0 && f <= 1)) throw new OptionError('fractions', `${f} is outside (0, 1]`);
    points.set(String(f), { fraction: f, k: kFor(f, d) });
  }
  for (const k of opts.ks ?? []) {
    if (!(Number.isInteger(k) && k >= 1 && k <= d)) throw new OptionError('ks', `${k} is not an integer in 1..${d}`);
    points.set(String(k / d), { fraction: k / d, k });
  }
  if (opts.includeFull !== false) points.set('1', { fraction: 1, k: d });
  if (!points.size) throw new UsageError('sweep: give at least one fraction or neuron count');
  if (!opts.seeds.length) throw new OptionError('seeds', 'give at least one seed');
  const uniqueSeeds = [...new Set(opts.seeds)];
  const sorted = [...points.values()].sort((a, b) => a.fraction - b.fraction);
  const cells: Cell[] = [];
  for (const selection of selections) {
    if (!SWEEP_SELECTIONS.includes(selection)) throw new OptionError('selections', `unknown selection '${selection}' (expected ${SWEEP_SELECTIONS.join(', ')})`);
    for (const { fraction, k } of sorted) {
      const seeds = SEEDED.has(selection) && k < d ? uniqueSeeds : [null];
      for (const seed of seeds) cells.push({ selection, fraction, k, seed, probes });
    }
  }
  return cells;
}

function labelOf(split: SweepSplit, field: 'modelId' | 'datasetId', fallback: string): string {
  const v = split.meta?.[field];
  if (typeof v === 'string' && v) return v;
  return split.path ? basename(split.path).replace(/\.arrow$/, '') : fallback;
}

/** Keys of a probe's hyper-parameters that the row already holds as the columns l2, validationL2, validationAccuracy. */
const PENALTY_COLUMN_KEYS: ReadonlySet<string> = new Set(['l2', 'validationL2', 'validationAccuracy']);

/**
 * The probe's hyper-parameters as the row's JSON, without the penalty keys its own columns hold (they
 * were half of every results file; `{ ...JSON.parse(hyper), l2, validationL2, validationAccuracy }` is
 * the probe's full `hyper`).
 */
function hyperJson(r: ProbeResult): string {
  if (!r.penalty) return JSON.stringify(r.hyper);
  return JSON.stringify(Object.fromEntries(Object.entries(r.hyper).filter(([key]) => !PENALTY_COLUMN_KEYS.has(key))));
}

function resultRow(base: Record<string, unknown>, r: ProbeResult, config: string): Record<string, unknown> {
  return {
    ...base,
    config,
    accuracy: r.accuracy,
    perClassAccuracy: Array.from(r.perClassAccuracy),
    seconds: r.seconds,
    hyper: hyperJson(r),
    l2: r.penalty?.l2 ?? null,
    validationL2: r.penalty?.curve.l2 ?? [],
    validationAccuracy: r.penalty?.curve.accuracy ?? [],
  };
}

/**
 * Runs a fractions × seeds × selections × probes grid of linear probes on one (train, test) pair of
 * feature caches and returns one row per cell (columns {@link SWEEP_COLUMNS}; perClassAccuracy is a
 * list of per-class test accuracies; hyper is the probe's JSON hyper-parameters but for the penalty keys held
 * by the l2 / validation columns; config the JSON of
 * the settings in the resume key; l2 the λ the probe was fitted with, validationL2 / validationAccuracy
 * the λ tried on the validation part of the training split and their accuracies, empty when λ was fixed).
 *
 * Cheapest order: one centred Gram of the training layer serves every ridge probe (a k×k solve per
 * cell) and preconditions every softmax probe (whose first L-BFGS step is the ridge direction, the
 * warm start); each selection is computed once and shared by all probes of its cell.
 * Resumable: with `out`, cells whose (selection, fraction, seed, probe, config) are already in the
 * file are skipped, and the file is rewritten atomically every `saveEverySeconds` and at the end.
 * @example
 * ```ts
 * const sweep = await runSweep({ train: 'data/cache/train.arrow', test: 'data/cache/test.arrow', fractions: [0.01, 0.1, 1], seeds: [1, 2, 3], out: 'results/sweep.arrow' });
 * showTable(accuracyCurves(sweep.results));
 * ```
 */
export async function runSweep(opts: SweepOptions): Promise<SweepOutcome> {
  const started = performance.now();
  const train = await loadSplit(opts.train, 'train');
  const test = await loadSplit(opts.test, 'test');
  const d = train.features.d;
  const trainName = train.path ?? (typeof opts.train === 'string' ? opts.train : '(train in memory)');
  const testName = test.path ?? (typeof opts.test === 'string' ? opts.test : '(test in memory)');
  const allowedMismatch = checkCompatiblePair(trainName, { ...train.meta, d }, testName, { ...test.meta, d: test.features.d }, opts.allowMismatch);
  const shard = typeof opts.shard === 'string' ? parseShard(opts.shard) : (opts.shard ?? null);
  const model = opts.model ?? labelOf(train, 'modelId', 'model');
  const dataset = opts.dataset ?? labelOf(train, 'datasetId', 'dataset');
  const layer = train.meta?.layer ?? '';
  const rng = opts.rng ?? 'ours';
  const linalg = opts.linalg ?? await libraryLinalg();

  const identity: SweepIdentity = {
    train: splitIdentity(train), test: splitIdentity(test), rng, model, dataset, allowedMismatch, shard,
  };
  if (opts.out === '') throw new OptionError('out', 'expected a file name, got an empty string');
  // One writer per results file: a second sweep on the same --out waits, then resumes from its rows.
  const lock = opts.out ? await acquireLock(opts.out) : undefined;
  try {
    return await runLocked(opts, { train, test, d, model, dataset, layer, rng, linalg, identity, started });
  } finally {
    lock?.release();
  }
}

async function runLocked(
  opts: SweepOptions,
  c: { train: SweepSplit; test: SweepSplit; d: number; model: string; dataset: string; layer: string; rng: 'ours' | 'torch'; linalg: Linalg; identity: SweepIdentity; started: number },
): Promise<SweepOutcome> {
  const { train, test, d, model, dataset, layer, rng, linalg, identity, started } = c;
  const previous: Record<string, unknown>[] = [];
  if (opts.out && existsSync(opts.out) && !opts.force) {
    checkResumeIdentity(opts.out, identity);
    for (const row of readSweepResults(opts.out).objects() as Record<string, unknown>[]) {
      if (row.model !== model || row.dataset !== dataset) {
        throw new OptionError('out', `${opts.out} holds results for model '${String(row.model)}' on '${String(row.dataset)}', not '${model}' on '${dataset}'; use another file`);
      }
      previous.push({
        ...row, perClassAccuracy: Array.from(row.perClassAccuracy as ArrayLike<number>),
        l2: row.l2 ?? null, validationL2: Array.from((row.validationL2 ?? []) as ArrayLike<number>),
        validationAccuracy: Array.from((row.validationAccuracy ?? []) as ArrayLike<number>),
      });
    }
  }
  const done = new Set(previous.map((r) => cellKey(String(r.selection), Number(r.fraction), (r.seed as number | null) ?? null, String(r.probe), String(r.config))));

  const cells = planCells(opts, d).filter((_, j) => !identity.shard || j % identity.shard.count === identity.shard.index);
  let skipped = 0;
  const todo: Array<{ cell: Cell; probes: ProbeKind[] }> = [];
  for (const cell of cells) {
    const probes = cell.probes.filter((p) => !done.has(cellKey(cell.selection, cell.fraction, cell.seed, p, sweepConfigKey(opts, p))));
    skipped += cell.probes.length - probes.length;
    if (probes.length) todo.push({ cell, probes });
  }
  const total = todo.reduce((s, t) => s + t.probes.length, 0);
  const sink = opts.progress === false ? () => {} : (opts.progress ?? stderrProgress());
  const progress = new Progress(`sweep ${model}/${dataset}`, total, sink, 'probes');

  const rows = [...previous];
  const fileMeta: SweepFileMeta = {
    formatVersion: 1, identity,
    plan: { selections: [...(opts.selections ?? ['random'])], probes: [...(opts.probes ?? ['ridge'])], seeds: [...new Set(opts.seeds)], planned: cells.reduce((s, x) => s + x.probes.length, 0) },
  };
  const save = (): void => { if (opts.out) writeArrowTable(opts.out, rowsToTable(rows, SWEEP_COLUMNS), sweepMetadata(fileMeta)); };
  const classes = Math.max(
    train.meta?.classNames?.length ?? 0,
    ...[train.labels, test.labels].map((l) => l.reduce((m, v) => Math.max(m, v), -1) + 1),
  );
  const needsGram = todo.some((t) => t.probes.some((p) => p === 'ridge' || p === 'softmax'));
  const l2 = checkL2Setting(opts.l2 ?? PROBE_DEFAULTS.l2, 'l2');
  const ridgeGram = needsGram ? await RidgeGram.build(train.features, train.labels, { linalg, classes, holdout: typeof l2 !== 'number' }) : undefined;
  const dead = deadUnitStats(train.features);
  let lastSave = performance.now();
  const saveEvery = (opts.saveEverySeconds ?? 5) * 1000;

  for (const { cell, probes } of todo) {
    const selection = await selectNeurons({
      d, k: cell.k, seed: cell.seed ?? opts.seeds[0], method: cell.selection, rng,
      train: cell.selection.startsWith('pca') ? train.features : undefined, linalg,
    });
    const base = {
      model, dataset, layer, selection: cell.selection, rng: SEEDED.has(cell.selection) ? rng : '',
      fraction: cell.fraction, k: cell.k, d, seed: cell.seed, deadUnits: dead.zeroVariance, nearConstantUnits: dead.nearConstant,
    };
    for (const probe of probes) {
      const result = await runProbe(train, test, { ...selection, fraction: cell.fraction }, {
        probe, l2, standardize: opts.standardize, linalg, classes,
        ridgeGram, softmax: opts.softmax, sgd: opts.sgd, keepPredictions: true,
      });
      rows.push({ ...resultRow(base, result, sweepConfigKey(opts, probe)), probe, correct: encodeCorrect(result.predictions!, test.labels) });
      progress.tick();
      if (performance.now() - lastSave >= saveEvery) { save(); lastSave = performance.now(); }
    }
  }
  if (total > 0 || opts.force || (opts.out && !existsSync(opts.out))) save();
  return { results: rowsToTable(rows, SWEEP_COLUMNS), ran: total, skipped, seconds: (performance.now() - started) / 1000 };
}

/**
 * Reads a sweep results Arrow file written by {@link runSweep}: one row per cell with columns
 * {@link SWEEP_COLUMNS} (perClassAccuracy as Float64Array). Throws naming the file when a column is missing.
 * @example
 * ```ts
 * const results = readSweepResults('results/sweep.arrow'); // arquero table, one row per cell
 * ```
 */
export function readSweepResults(path: string): aq.ColumnTable {
  const table = readArrowTable(path);
  const names = new Set(table.columnNames());
  const missing = ['model', 'dataset', 'selection', 'fraction', 'k', 'seed', 'probe', 'accuracy', 'perClassAccuracy'].filter((c) => !names.has(c));
  if (missing.length) throw new UsageError(`${path}: not a sweep results file (missing column(s) ${missing.join(', ')})`);
  return table;
}
