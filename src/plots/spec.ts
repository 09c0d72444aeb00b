import * as aq from 'arquero';
import { finiteMean, finitePopulationStd } from '../summary/groups.js';

/** A plotly figure as plain data: `Plotly.newPlot(div, spec.data, spec.layout)`. */
export interface PlotSpec {
  data: any[];
  layout: any;
}

/** Input of every builder: an arquero table or plain row objects (property name = column name). */
export type TableLike = aq.ColumnTable | ReadonlyArray<object>;

/** Row objects of a table or a row array (a copy of the array, not of the rows). */
export function rowsOf(input: TableLike): Record<string, unknown>[] {
  if (Array.isArray(input)) return [...input] as Record<string, unknown>[];
  return (input as aq.ColumnTable).objects() as Record<string, unknown>[];
}

/** Throws a RangeError naming the builder and the missing columns, if any row lacks one of `columns`. */
export function requireColumns(rows: readonly Record<string, unknown>[], columns: readonly string[], builder: string): void {
  if (!rows.length) return;
  const missing = columns.filter((c) => !(c in rows[0]));
  if (missing.length) {
    throw new RangeError(`${builder}: input rows lack column(s) ${missing.join(', ')} (have ${Object.keys(rows[0]).join(', ')})`);
  }
}

/** Plotly's default qualitative palette (D3 category10), so colours are stable across figures. */
export const PALETTE: readonly string[] = [
  '#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf',
];

/** The i-th palette colour (wraps around). */
export function colourAt(i: number): string {
  return PALETTE[i % PALETTE.length];
}

/** `#rrggbb` → `rgba(r,g,b,alpha)` for translucent bands. */
export function withAlpha(hex: string, alpha: number): string {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${alpha})`;
}

/** Groups rows by the values of `keys`, in first-seen order; the label joins the values with " / ". */
export function groupBy(rows: readonly Record<string, unknown>[], keys: readonly string[]): Array<{ key: Record<string, unknown>; label: string; rows: Record<string, unknown>[] }> {
  const out = new Map<string, { key: Record<string, unknown>; label: string; rows: Record<string, unknown>[] }>();
  for (const r of rows) {
    const key = Object.fromEntries(keys.map((k) => [k, r[k]]));
    const id = JSON.stringify(keys.map((k) => r[k]));
    let g = out.get(id);
    if (!g) out.set(id, (g = { key, label: keys.map((k) => String(r[k])).join(' / '), rows: [] }));
    g.rows.push(r);
  }
  return [...out.values()];
}

/** The keys of `wanted` that are columns of the rows and take more than one value (so labels stay short). */
export function varyingKeys(rows: readonly Record<string, unknown>[], wanted: readonly string[]): string[] {
  if (!rows.length) return [];
  const present = wanted.filter((k) => k in rows[0]);
  const varying = present.filter((k) => new Set(rows.map((r) => String(r[k]))).size > 1);
  return varying.length ? varying : present.slice(0, 1);
}

/** One aggregated point: x, mean of y over runs, population std of y, and the number of finite runs. */
export interface MeanPoint {
  x: number;
  mean: number;
  std: number;
  runs: number;
}

/**
 * Mean ± population std of column `y` per distinct value of column `x` (sorted ascending). Rows that
 * already carry `<y>Mean`-style aggregates should be passed with `meanColumn`/`stdColumn` instead.
 */
export function meanByX(rows: readonly Record<string, unknown>[], x: string, y: string): MeanPoint[] {
  const byX = new Map<number, number[]>();
  for (const r of rows) {
    const xv = Number(r[x]);
    if (!byX.has(xv)) byX.set(xv, []);
    byX.get(xv)!.push(Number(r[y]));
  }
  return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([xv, ys]) => ({
    x: xv, mean: finiteMean(ys), std: finitePopulationStd(ys), runs: ys.filter(Number.isFinite).length,
  }));
}

/** Points from rows that already hold an aggregate (`meanColumn`, optional `stdColumn`), sorted by x. */
export function pointsFromAggregates(rows: readonly Record<string, unknown>[], x: string, meanColumn: string, stdColumn?: string): MeanPoint[] {
  return rows
    .map((r) => ({ x: Number(r[x]), mean: Number(r[meanColumn]), std: stdColumn && r[stdColumn] != null ? Number(r[stdColumn]) : NaN, runs: 1 }))
    .filter((p) => Number.isFinite(p.x))
    .sort((a, b) => a.x - b.x);
}

/** Options shared by the line builders' layouts. */
export interface AxisOptions {
  title?: string;
  xTitle?: string;
  yTitle?: string;
  logX?: boolean;
  yRange?: [number, number];
  width?: number;
  height?: number;
}

/** A plain layout: title, axis titles and types, legend below the plot, fixed size. */
export function baseLayout(o: AxisOptions & { title: string; xTitle: string; yTitle: string }): any {
  return {
    title: { text: o.title },
    xaxis: { title: { text: o.xTitle }, type: o.logX ? 'log' : 'linear', zeroline: false },
    yaxis: { title: { text: o.yTitle }, zeroline: false, ...(o.yRange ? { range: [...o.yRange] } : {}) },
    legend: { orientation: 'h', y: -0.22 },
    margin: { t: 50, l: 64, r: 20, b: 96 },
    width: o.width ?? 760,
    height: o.height ?? 480,
    hovermode: 'closest',
  };
}

/** One drawn series: a line with markers, optionally a ± band, dashed, in a fixed colour. */
export interface SeriesLine {
  name: string;
  points: MeanPoint[];
  colour: string;
  band?: boolean;
  dash?: 'solid' | 'dash' | 'dot';
  markers?: boolean;
}

/**
 * Plotly traces of one series: a filled band (mean ± std, drawn first, no legend entry, hidden from
 * hover) when `band` is set and some std is finite, then the line itself. Both share a legend group so
 * clicking the legend hides the pair.
 */
export function seriesTraces(s: SeriesLine): any[] {
  const pts = s.points.filter((p) => Number.isFinite(p.mean));
  const traces: any[] = [];
  const withStd = pts.filter((p) => Number.isFinite(p.std));
  if (s.band && withStd.length && withStd.some((p) => p.std > 0)) {
    traces.push({
      type: 'scatter', mode: 'lines', name: `${s.name} ± std`, legendgroup: s.name, showlegend: false, hoverinfo: 'skip',
      x: [...withStd.map((p) => p.x), ...withStd.map((p) => p.x).reverse()],
      y: [...withStd.map((p) => p.mean + p.std), ...withStd.map((p) => p.mean - p.std).reverse()],
      fill: 'toself', fillcolor: withAlpha(s.colour, 0.18), line: { width: 0, color: withAlpha(s.colour, 0) },
    });
  }
  traces.push({
    type: 'scatter', mode: s.markers === false ? 'lines' : 'lines+markers', name: s.name, legendgroup: s.name,
    x: pts.map((p) => p.x), y: pts.map((p) => p.mean),
    line: { color: s.colour, dash: s.dash ?? 'solid', width: 2 },
    marker: { color: s.colour, size: 6 },
  });
  return traces;
}
