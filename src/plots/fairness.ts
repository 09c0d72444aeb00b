import * as aq from 'arquero';
import { fairnessTable, perClassAccuracyTable } from '../summary/fairness.js';
import { finitePopulationStd } from '../summary/groups.js';
import { gini } from '../summary/inequality.js';
import { filterRowsWhere, type RowFilter } from './lines.js';
import { baseLayout, colourAt, groupBy, requireColumns, rowsOf, varyingKeys, type AxisOptions, type PlotSpec, type TableLike } from './spec.js';

/** Options of {@link perClassHeatmapFigure}. */
export interface HeatmapOptions extends AxisOptions {
  /** Keep only matching rows first. */
  where?: RowFilter;
  /** Class names for the y axis (default "class 0", "class 1", …). */
  classNames?: readonly string[];
  /** Columns making one panel each (default: those of model, dataset, selection, probe that vary). */
  panels?: string[];
}

function longPerClass(input: TableLike): Record<string, unknown>[] {
  const rows = rowsOf(input);
  if (rows.length && 'classIndex' in rows[0]) return rows;
  requireColumns(rows, ['fraction', 'perClassAccuracy'], 'per-class heatmap');
  return perClassAccuracyTable(aq.from(rows)).objects() as Record<string, unknown>[];
}

function fractionLabel(f: number): string {
  return f >= 1 ? '1 (all)' : String(Number(f.toPrecision(3)));
}

/**
 * Per-class test accuracy (mean over seeds) as a heatmap: classes down, fractions across (as
 * categories, ascending), one panel per series side by side with a shared colour scale [0, 1].
 * Input: sweep result rows with `perClassAccuracy` lists, or `perClassAccuracyTable` rows
 * (fraction, classIndex, accuracy).
 * @example
 * ```ts
 * showFigure(perClassHeatmapFigure(e8.tables.perClass, { where: { dataset: 'mnist-digits' } }));
 * ```
 */
export function perClassHeatmapFigure(input: TableLike, opts: HeatmapOptions = {}): PlotSpec {
  const rows = filterRowsWhere(longPerClass(input), opts.where);
  const keys = opts.panels ?? varyingKeys(rows, ['model', 'dataset', 'selection', 'probe']);
  const panels = groupBy(rows, keys);
  const gap = 0.04;
  const width = panels.length ? (1 - gap * (panels.length - 1)) / panels.length : 1;
  const layout: any = baseLayout({ title: 'Per-class accuracy', xTitle: '', yTitle: '', ...opts, width: opts.width ?? Math.max(560, 380 * panels.length) });
  delete layout.xaxis;
  delete layout.yaxis;
  layout.annotations = [];
  const data = panels.map((p, i) => {
    const fractions = [...new Set(p.rows.map((r) => Number(r.fraction)))].sort((a, b) => a - b);
    const classes = Math.max(0, ...p.rows.map((r) => Number(r.classIndex) + 1));
    const z = Array.from({ length: classes }, () => fractions.map(() => null as number | null));
    for (const r of p.rows) z[Number(r.classIndex)][fractions.indexOf(Number(r.fraction))] = Number(r.accuracy);
    const ax = i === 0 ? '' : String(i + 1);
    const x0 = i * (width + gap);
    layout[`xaxis${ax}`] = { domain: [x0, x0 + width], type: 'category', title: { text: opts.xTitle ?? 'fraction of neurons' } };
    layout[`yaxis${ax}`] = { type: 'category', autorange: 'reversed', ...(i === 0 ? { title: { text: opts.yTitle ?? 'class' } } : { showticklabels: false }), anchor: `x${ax}` };
    layout.annotations.push({ text: p.label, xref: 'paper', yref: 'paper', x: x0 + width / 2, y: 1.02, xanchor: 'center', yanchor: 'bottom', showarrow: false });
    return {
      type: 'heatmap', name: p.label, xaxis: `x${ax}`, yaxis: `y${ax}`,
      x: fractions.map(fractionLabel),
      y: Array.from({ length: classes }, (_, c) => opts.classNames?.[c] ?? `class ${c}`),
      z, zmin: 0, zmax: 1, colorscale: 'Viridis', showscale: i === panels.length - 1,
      hovertemplate: '%{y}, fraction %{x}: %{z:.3f}<extra></extra>',
    };
  });
  return { data, layout };
}

/** Options of {@link giniVsAccuracyFigure}. */
export interface GiniFigureOptions extends AxisOptions {
  /** Columns making one series each (default: those of model, dataset, selection, probe that vary). */
  series?: string[];
  /** Keep only matching rows first, e.g. `{ dataset: 'digits' }`. */
  where?: RowFilter;
  /** Draw the paper's reported range (Gini ≈ 0.03 near full accuracy, 0.5–0.64 at low accuracy) as reference bands (default true). */
  paper?: boolean;
}

/** The paper's fairness finding (docs/metrics.md §3): Gini ≈ 0.03 near full accuracy, ≈ 0.5–0.64 at low accuracy. */
export const PAPER_GINI_RANGE = { nearFull: 0.03, lowAccuracy: [0.5, 0.64] as const };

/**
 * Fairness figure: Gini coefficient of the per-class accuracies against overall accuracy, one
 * marker+line series per model (points ordered by accuracy; hover shows the fraction). Input: sweep
 * result rows (fraction, seed, accuracy, perClassAccuracy), giving error bars of ± std over seeds of
 * each run's Gini and accuracy; or `fairnessTable` rows (accuracyMean, gini, fraction), without them.
 * The point itself is the paper's statistic: the Gini of the per-class accuracy averaged over seeds.
 * With `paper` (default), grey bands mark the paper's reported values.
 * @example
 * ```ts
 * showFigure(giniVsAccuracyFigure(sweep.results));
 * ```
 */
export function giniVsAccuracyFigure(input: TableLike, opts: GiniFigureOptions = {}): PlotSpec {
  const raw = filterRowsWhere(rowsOf(input), opts.where);
  let rows = raw;
  const spread = new Map<string, { giniStd: number; accuracyStd: number }>();
  const keys = opts.series ?? varyingKeys(raw, ['model', 'dataset', 'selection', 'probe']);
  if (raw.length && !('gini' in raw[0])) {
    requireColumns(raw, ['fraction', 'accuracy', 'perClassAccuracy'], 'Gini vs accuracy');
    rows = fairnessTable(aq.from(raw)).objects() as Record<string, unknown>[];
    for (const g of groupBy(raw.filter((r) => r.perClassAccuracy != null), [...keys, 'fraction'])) {
      const ginis = g.rows.map((r) => gini(Float64Array.from(r.perClassAccuracy as ArrayLike<number>)));
      spread.set(g.label, { giniStd: finitePopulationStd(ginis), accuracyStd: finitePopulationStd(g.rows.map((r) => Number(r.accuracy))) });
    }
  }
  requireColumns(rows, ['accuracyMean', 'gini'], 'Gini vs accuracy');
  const errorOf = (r: Record<string, unknown>) => spread.get([...keys, 'fraction'].map((k) => String(r[k])).join(' / '));
  const data: any[] = groupBy(rows, keys).map((g, i) => {
    const pts = [...g.rows].sort((a, b) => Number(a.accuracyMean) - Number(b.accuracyMean));
    const errors = pts.map(errorOf);
    const withErrors = errors.some((e) => e && (Number.isFinite(e.giniStd) || Number.isFinite(e.accuracyStd)));
    const arr = (f: 'giniStd' | 'accuracyStd') => errors.map((e) => (e && Number.isFinite(e[f]) ? e[f] : null));
    return {
      type: 'scatter', mode: 'lines+markers', name: g.label,
      x: pts.map((r) => Number(r.accuracyMean)), y: pts.map((r) => Number(r.gini)),
      text: pts.map((r) => `fraction ${Number(r.fraction)}`),
      line: { color: colourAt(i), width: 1 }, marker: { color: colourAt(i), size: 7 },
      ...(withErrors ? {
        error_y: { type: 'data', array: arr('giniStd'), visible: true, thickness: 1, color: colourAt(i) },
        error_x: { type: 'data', array: arr('accuracyStd'), visible: true, thickness: 1, color: colourAt(i) },
      } : {}),
    };
  });
  const layout = baseLayout({ title: 'Gini of per-class accuracy vs overall accuracy', xTitle: 'overall test accuracy', yTitle: 'Gini coefficient', ...opts });
  if (opts.paper !== false) {
    const [lo, hi] = PAPER_GINI_RANGE.lowAccuracy;
    layout.shapes = [
      { type: 'rect', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: lo, y1: hi, fillcolor: 'rgba(120,120,120,0.12)', line: { width: 0 }, layer: 'below' },
      { type: 'line', xref: 'paper', yref: 'y', x0: 0, x1: 1, y0: PAPER_GINI_RANGE.nearFull, y1: PAPER_GINI_RANGE.nearFull, line: { color: '#888', dash: 'dash', width: 1 } },
    ];
    layout.annotations = [
      { xref: 'paper', yref: 'y', x: 0.01, y: hi, xanchor: 'left', yanchor: 'bottom', showarrow: false, font: { size: 10, color: '#666' }, text: `paper: Gini ${lo}–${hi} at low accuracy` },
      { xref: 'paper', yref: 'y', x: 0.99, y: PAPER_GINI_RANGE.nearFull, xanchor: 'right', yanchor: 'bottom', showarrow: false, font: { size: 10, color: '#666' }, text: `paper: ≈${PAPER_GINI_RANGE.nearFull} near full accuracy` },
    ];
    // Keep the paper's band in view even when our Gini values stay small.
    if (!opts.yRange) layout.yaxis.range = [0, Math.max(hi + 0.05, ...rows.map((r) => Number(r.gini)).filter(Number.isFinite).map((v) => v * 1.1))];
  }
  return { data, layout };
}
