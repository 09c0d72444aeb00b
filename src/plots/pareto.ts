import * as aq from 'arquero';
import { accuracyCurves } from '../summary/curve.js';
import { markParetoFrontier } from '../summary/pareto.js';
import { filterRowsWhere, type RowFilter } from './lines.js';
import { baseLayout, colourAt, groupBy, requireColumns, rowsOf, type AxisOptions, type PlotSpec, type TableLike } from './spec.js';

/** Options of {@link paretoFigure}. */
export interface ParetoFigureOptions extends AxisOptions {
  /** Columns making one marker series each (default `['model']`). */
  series?: string[];
  /** Keep only matching rows first, e.g. `{ dataset: 'digits' }`. */
  where?: RowFilter;
}

/**
 * The redundancy–performance plane: mean accuracy against the absolute number of neurons (log x) for
 * every model, with the upper-left Pareto frontier (across models, per dataset) as a black step line.
 * Input: sweep result rows (per run; averaged here with `accuracyCurves`) or curve rows (k, accuracyMean).
 */
export function paretoFigure(input: TableLike, opts: ParetoFigureOptions = {}): PlotSpec {
  let rows = filterRowsWhere(rowsOf(input), opts.where);
  if (rows.length && !('accuracyMean' in rows[0])) {
    requireColumns(rows, ['fraction', 'k', 'accuracy'], 'Pareto figure');
    rows = accuracyCurves(aq.from(rows)).objects() as Record<string, unknown>[];
  }
  requireColumns(rows, ['k', 'accuracyMean'], 'Pareto figure');
  const marked = rows.length ? (markParetoFrontier(aq.from(rows), { groupBy: ['dataset'] }).objects() as Record<string, unknown>[]) : [];
  const keys = opts.series ?? ['model'].filter((k) => rows.length && k in rows[0]);
  const data: any[] = groupBy(marked, keys).map((g, i) => ({
    type: 'scatter', mode: 'markers', name: g.label,
    x: g.rows.map((r) => Number(r.k)), y: g.rows.map((r) => Number(r.accuracyMean)),
    text: g.rows.map((r) => `fraction ${Number(r.fraction)}`),
    marker: { color: colourAt(i), size: g.rows.map((r) => (r.onFrontier ? 10 : 6)), symbol: g.rows.map((r) => (r.onFrontier ? 'diamond' : 'circle')) },
  }));
  const datasets = groupBy(marked.filter((r) => r.onFrontier), ['dataset'].filter((k) => marked.length && k in marked[0]));
  for (const d of datasets) {
    const pts = [...d.rows].sort((a, b) => Number(a.k) - Number(b.k));
    data.push({
      type: 'scatter', mode: 'lines', name: datasets.length > 1 ? `Pareto frontier (${d.label})` : 'Pareto frontier',
      x: pts.map((r) => Number(r.k)), y: pts.map((r) => Number(r.accuracyMean)),
      line: { color: '#111111', width: 1.5, shape: 'hv' }, hoverinfo: 'skip',
    });
  }
  return { data, layout: baseLayout({ title: 'Accuracy vs neurons across models, with the Pareto frontier', xTitle: 'neurons k (log)', yTitle: 'test accuracy', logX: true, ...opts }) };
}
