import { filterRowsWhere, linesFigure, type PaperOverlay, type RowFilter } from './lines.js';
import { CKA_MODE_LABELS, type CkaMode } from '../similarity/analyses.js';
import { rowsOf, type AxisOptions, type PlotSpec, type TableLike } from './spec.js';

/** Options of {@link ckaFigure}. */
export interface CkaFigureOptions extends AxisOptions {
  /** x axis: fraction of the layer (default) or neurons k. */
  x?: 'fraction' | 'k';
  /** Columns making one curve each (default: those of model, dataset, mode, variant that vary). */
  series?: string[];
  band?: boolean;
  /** The paper's CKA numbers, e.g. `loadPaperNumbers('ckaPartVsWhole')` (column cka_mean), dashed. */
  paper?: PaperOverlay;
  /** Keep only matching rows first, e.g. `{ mode: 'part-whole' }`. */
  where?: RowFilter;
}

/**
 * Figs. 2/9: linear CKA against the subset size. Input: rows of `ckaPartVsWhole` / `ckaSubsetVsSubset`
 * / `ckaAnalysis` (columns mode, fraction, k, seedA, seedB, cka; plus model / dataset when several runs are stacked),
 * averaged over seeds or seed pairs here (mean ± population std), or pre-aggregated rows with
 * `ckaMean` / `ckaStd`. CKA in [0, 1]; x on a log axis.
 * @example
 * ```ts
 * showFigure(ckaFigure(e2.tables.cka));
 * ```
 */
export function ckaFigure(rows: TableLike, opts: CkaFigureOptions = {}): PlotSpec {
  const list = filterRowsWhere(rowsOf(rows), opts.where);
  const modes = new Set(list.map((r) => CKA_MODE_LABELS[r.mode as CkaMode] ?? String(r.mode ?? '')));
  const what = modes.size === 1 ? [...modes][0] : 'random subsets';
  const x = opts.x ?? 'fraction';
  const series = opts.series ?? (['model', 'dataset', 'selection', 'mode', 'variant'].filter((k) => list.length && k in list[0] && new Set(list.map((r) => String(r[k]))).size > 1));
  return linesFigure(list, {
    x, y: { run: 'cka', mean: 'ckaMean', std: 'ckaStd' }, logX: true, yRange: [0, 1.02],
    title: `Linear CKA, ${what}`, xTitle: x === 'k' ? 'neurons k (log)' : 'fraction of neurons (log)', yTitle: 'CKA',
    ...opts, where: undefined, series: series.length ? series : ['mode'].filter((k) => list.length && k in list[0]),
  });
}
