import { filterRowsWhere, linesFigure, type PaperOverlay, type RowFilter } from './lines.js';
import { groupBy, requireColumns, rowsOf, varyingKeys, type AxisOptions, type PlotSpec, type TableLike } from './spec.js';

/**
 * Input of the accuracy builders: sweep result rows (columns model, dataset, selection, fraction, k,
 * seed, probe, accuracy: one row per run, mean ± population std over seeds computed here) or curve rows
 * from `accuracyCurves` (fraction, k, accuracyMean, accuracyStd). Accuracies in [0, 1].
 */
export interface AccuracyFigureOptions extends AxisOptions {
  /** Columns making one curve each (default: those of model, dataset, selection, probe that vary). */
  series?: string[];
  /** ± std bands (default true). */
  band?: boolean;
  /** The paper's numbers (e.g. `loadPaperNumbers('fig1')` with `where: { downstream: 'cifar10' }`), dashed. */
  paper?: PaperOverlay;
  /** Keep only matching rows first, e.g. `{ dataset: 'digits' }`. */
  where?: RowFilter;
}

const ACCURACY = { run: 'accuracy', mean: 'accuracyMean', std: 'accuracyStd' };

/**
 * Fig. 1: test accuracy against the fraction of neurons kept (log x), one line ± std band per series.
 * @example
 * ```ts
 * const spec = accuracyVsFractionFigure(sweep.results); // { data, layout }: plain plotly
 * showFigure(spec);
 * ```
 */
export function accuracyVsFractionFigure(results: TableLike, opts: AccuracyFigureOptions = {}): PlotSpec {
  return linesFigure(results, {
    x: 'fraction', y: ACCURACY, logX: true, title: 'Accuracy vs fraction of neurons', xTitle: 'fraction of neurons (log)', yTitle: 'test accuracy',
    ...opts,
  });
}

/** Figs. 4/6: test accuracy against the absolute number of neurons k (log x). */
export function accuracyVsNeuronsFigure(results: TableLike, opts: AccuracyFigureOptions = {}): PlotSpec {
  return linesFigure(results, {
    x: 'k', y: ACCURACY, logX: true, title: 'Accuracy vs number of neurons', xTitle: 'neurons k (log)', yTitle: 'test accuracy',
    ...opts,
  });
}

/**
 * Fig. 5: accuracy against k for models of different penultimate width, one curve per model, ordered
 * by width (column `d`, when present).
 * @example
 * ```ts
 * showFigure(widthFigure(e5.tables.results, { where: { dataset: 'mnist-digits' } }));
 * ```
 */
export function widthFigure(results: TableLike, opts: AccuracyFigureOptions = {}): PlotSpec {
  return linesFigure(results, {
    x: 'k', y: ACCURACY, logX: true, series: ['model'], orderBy: 'd',
    title: 'Layer width: accuracy vs neurons per model width', xTitle: 'neurons k (log)', yTitle: 'test accuracy',
    ...opts,
  });
}

/**
 * Fig. 7: first-k neurons against random-k neurons: colour per model, solid / dashed per selection
 * (rows with selection 'first' and 'random'), x = k (log).
 * @example
 * ```ts
 * showFigure(firstVsRandomFigure(e6.tables.results, { where: { dataset: 'mnist-digits' } }));
 * ```
 */
export function firstVsRandomFigure(results: TableLike, opts: AccuracyFigureOptions = {}): PlotSpec {
  return linesFigure(results, {
    x: 'k', y: ACCURACY, logX: true, series: ['model', 'selection'], colourBy: ['model'], dashBy: 'selection',
    title: 'First-k vs random-k neurons', xTitle: 'neurons k (log)', yTitle: 'test accuracy',
    ...opts,
  });
}

/**
 * Appendix (E7): PCA top-k / bottom-k and random projections against random neurons: one curve per
 * selection (and per model when several), x = fraction (log).
 * @example
 * ```ts
 * showFigure(selectionComparisonFigure(e7.tables.results, { where: { dataset: 'mnist-digits' } }));
 * ```
 */
export function selectionComparisonFigure(results: TableLike, opts: AccuracyFigureOptions = {}): PlotSpec {
  return linesFigure(results, {
    x: 'fraction', y: ACCURACY, logX: true, series: ['model', 'selection'], colourBy: ['selection'], dashBy: 'model',
    title: 'Random neurons vs PCA and random projections', xTitle: 'fraction of neurons / dimensions (log)', yTitle: 'test accuracy',
    ...opts,
  });
}

/** Options of {@link accuracyVsCostFigure}. */
export interface CostFigureOptions extends AccuracyFigureOptions {
  /**
   * The cost on the x axis: `neurons` (k), `bytes` (feature memory per image, k × 4 bytes of float32)
   * or `seconds` (probe fit + evaluation time, the sweep's `seconds` column, mean over seeds).
   */
  cost?: 'neurons' | 'bytes' | 'seconds';
}

/**
 * Accuracy against what the kept neurons cost (log x): one point per fraction, mean accuracy and mean
 * cost over seeds, one line per series. Input: sweep result rows (k, accuracy, seconds, fraction, …).
 * @example
 * ```ts
 * showFigure(accuracyVsCostFigure(sweep.results, { cost: 'neurons' }));
 * ```
 */
export function accuracyVsCostFigure(results: TableLike, opts: CostFigureOptions = {}): PlotSpec {
  const cost = opts.cost ?? 'neurons';
  const rows = rowsOf(results);
  requireColumns(rows, ['fraction', 'k', 'accuracy', ...(cost === 'seconds' ? ['seconds'] : [])], 'accuracy vs cost');
  const keys = opts.series ?? varyingKeys(rows, ['model', 'dataset', 'selection', 'probe']);
  const byFraction: Record<string, unknown>[] = [];
  for (const g of groupBy(filterRowsWhere(rows, opts.where), keys)) {
    for (const f of groupBy(g.rows, ['fraction'])) {
      const mean = (col: string) => f.rows.reduce((s, r) => s + Number(r[col]), 0) / f.rows.length;
      const x = cost === 'seconds' ? mean('seconds') : cost === 'bytes' ? mean('k') * 4 : mean('k');
      for (const r of f.rows) byFraction.push({ ...g.key, cost: x, accuracy: r.accuracy });
    }
  }
  const xTitle = { neurons: 'neurons kept (log)', bytes: 'feature bytes per image (float32, log)', seconds: 'probe time, s (log)' }[cost];
  return linesFigure(byFraction, {
    x: 'cost', y: ACCURACY, logX: true, series: keys, title: `Accuracy vs cost (${cost})`, xTitle, yTitle: 'test accuracy', ...opts, where: undefined,
  });
}
