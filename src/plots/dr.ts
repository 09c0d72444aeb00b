import { filterRowsWhere, type RowFilter } from './lines.js';
import {
  baseLayout, colourAt, groupBy, pointsFromAggregates, requireColumns, rowsOf, seriesTraces, varyingKeys,
  type AxisOptions, type PlotSpec, type TableLike,
} from './spec.js';

/** Options of {@link drCurveFigure}. */
export interface DrFigureOptions extends AxisOptions {
  /** Columns making one colour each (default: those of model, dataset, selection, probe that vary). */
  series?: string[];
  /** The paper's DR(δ) rows (e.g. `drFromCurves` of `loadPaperNumbers('fig1')`), drawn dotted. */
  paper?: { rows: TableLike; where?: RowFilter; series?: string[] };
  /** Keep only matching rows first, e.g. `{ dataset: 'digits' }`. */
  where?: RowFilter;
}

/**
 * DR(δ) against δ. Input: rows of `drTable` / `drFromCurves` (columns delta, estimator, dr, plus the
 * curve keys). Colour per series, solid for the interpolated estimator and dashed for the authors'
 * nearest-grid one; DR in [0, 1].
 * @example
 * ```ts
 * showFigure(drCurveFigure(e1.tables.dr));
 * ```
 */
export function drCurveFigure(rows: TableLike, opts: DrFigureOptions = {}): PlotSpec {
  const list = filterRowsWhere(rowsOf(rows), opts.where);
  requireColumns(list, ['delta', 'dr'], 'DR(δ) figure');
  const keys = opts.series ?? varyingKeys(list, ['model', 'dataset', 'selection', 'probe']);
  const data: any[] = [];
  const colourGroups = groupBy(list, keys);
  colourGroups.forEach((g, i) => {
    for (const eg of groupBy(g.rows, 'estimator' in (g.rows[0] ?? {}) ? ['estimator'] : [])) {
      const est = String(eg.key.estimator ?? '');
      data.push(...seriesTraces({
        name: est ? `${g.label} (${est})` : g.label, points: pointsFromAggregates(eg.rows, 'delta', 'dr'),
        colour: colourAt(i), dash: est === 'nearest' ? 'dash' : 'solid', markers: false,
      }));
    }
  });
  if (opts.paper) {
    const prow = filterRowsWhere(rowsOf(opts.paper.rows), opts.paper.where);
    requireColumns(prow, ['delta', 'dr'], 'DR(δ) figure, paper rows');
    const pkeys = opts.paper.series ?? varyingKeys(prow, ['model', 'pretraining', 'downstream', 'estimator']);
    groupBy(prow, pkeys).forEach((g, i) => data.push(...seriesTraces({
      name: `paper: ${g.label}`, points: pointsFromAggregates(g.rows, 'delta', 'dr'), colour: colourAt(colourGroups.length + i), dash: 'dot', markers: false,
    })));
  }
  return {
    data,
    layout: baseLayout({ title: 'Diffused redundancy DR(δ) vs δ', xTitle: 'δ (fraction of full-layer accuracy)', yTitle: 'DR(δ) = 1 − fraction needed', yRange: [0, 1], ...opts }),
  };
}
