import { join } from 'node:path';
import { setDefaultBackendLog } from '../backend/index.js';
import { notebookProgress, showNote, tslabSink } from '../plots/notebook.js';
import { packageRoot } from '../util/paths.js';
import { defaultGrid } from './grids.js';
import { pickLinalg, pickSource, type ReproduceOptions } from './reproduce.js';
import type { ExperimentContext } from './types.js';

/** Options of {@link notebookContext}: a notebook's parameters cell passes them through. */
export interface NotebookContextOptions {
  /** Feature source, as `dr reproduce --source` takes it (default `zoo`), or a source object. */
  source?: ReproduceOptions['source'];
  /** Small image subsets, reduced grid and the quick probe (default true). */
  quick?: boolean;
  /** Fractions of the layer (default: the package's grid for `quick`). */
  fractions?: number[];
  /** Seeds of the random subsets (default: the package's grid for `quick`). */
  seeds?: number[];
  /** Folder of resumable sweep files shared by all notebooks (default `results/notebooks/work`). */
  workDir?: string;
  /** Progress bars in the cell output (default true). */
  progress?: boolean;
}

/**
 * The one set-up call of the experiment notebooks: the feature source, the package's default grid
 * (probe, δ values, CKA rows) with the notebook's fractions and seeds, the fastest Linalg, a shared
 * work folder, progress bars on stdout and log lines as small notes. Inside a tslab kernel it also
 * sends the TF.js backend line to a note instead of stderr, and shows one note saying what was chosen.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e1 = await experimentE1(ctx);
 * ```
 */
export async function notebookContext(opts: NotebookContextOptions = {}): Promise<ExperimentContext> {
  const inKernel = Boolean(tslabSink());
  const note = (line: string): void => {
    if (inKernel) showNote(line);
    else process.stdout.write(`${line}\n`);
  };
  if (inKernel) setDefaultBackendLog(note);
  const quick = opts.quick ?? true;
  const progress = opts.progress === false ? false : notebookProgress();
  const grid = defaultGrid(quick);
  if (opts.fractions) grid.fractions = opts.fractions;
  if (opts.seeds) grid.seeds = opts.seeds;
  const source = await pickSource({ source: opts.source ?? 'zoo', quick }, progress || undefined);
  const linalg = await pickLinalg();
  note(`Features: ${source.description}. Probe ${grid.probe}; ${grid.fractions.length} fractions × ${grid.seeds.length} seeds; linear algebra: ${linalg.name}.`);
  return {
    source, grid, quick, linalg,
    workDir: opts.workDir ?? join(packageRoot(), 'results', 'notebooks', 'work'),
    progress,
    log: note,
  };
}
