import type { PlotSpec } from './spec.js';

/** One line/marker series of a chart; `error` is the ± half-width drawn as error bars. */
export interface ChartSeries {
  name: string;
  x: number[];
  y: number[];
  error?: number[];
  /** Dashed line (e.g. the paper's numbers beside ours). */
  dashed?: boolean;
  /** Line style and colour when several reference curves must stay apart (plotly dash name, CSS colour). */
  dash?: 'dash' | 'dot' | 'dashdot' | 'longdash';
  colour?: string;
  /** Markers only. */
  markersOnly?: boolean;
  /** Hover text per point. */
  text?: string[];
}

/** Axis and title settings of {@link chartSpec}. */
export interface ChartOptions {
  title: string;
  xTitle: string;
  yTitle: string;
  logX?: boolean;
  yRange?: [number, number];
}

/**
 * A plotly line/scatter figure as plain data: one trace per series (error bars when given),
 * log x axis on request, legend at the bottom. Used for every experiment curve.
 */
export function chartSpec(series: readonly ChartSeries[], opts: ChartOptions): PlotSpec {
  return {
    data: series.map((s) => ({
      type: 'scatter',
      mode: s.markersOnly ? 'markers' : 'lines+markers',
      name: s.name,
      x: s.x,
      y: s.y,
      ...(s.text ? { text: s.text, hoverinfo: 'text+name' } : {}),
      ...(s.error ? { error_y: { type: 'data', array: s.error, visible: true, thickness: 1 } } : {}),
      line: { ...(s.dashed ? { dash: 'dash' } : {}), ...(s.dash ? { dash: s.dash } : {}), ...(s.colour ? { color: s.colour } : {}) },
      marker: { size: 6, ...(s.colour ? { color: s.colour } : {}) },
    })),
    layout: {
      title: { text: opts.title },
      xaxis: { title: { text: opts.xTitle }, type: opts.logX ? 'log' : 'linear' },
      yaxis: { title: { text: opts.yTitle }, ...(opts.yRange ? { range: opts.yRange } : {}) },
      legend: { orientation: 'h', y: -0.25 },
      margin: { t: 50, l: 60, r: 20, b: 90 },
      width: 720,
      height: 460,
    },
  };
}

/** A grouped bar chart: one trace per series over shared category labels; `error` = ± half-widths drawn as error bars. */
export function barSpec(categories: readonly string[], series: ReadonlyArray<{ name: string; y: number[]; error?: number[] }>, opts: Omit<ChartOptions, 'logX'>): PlotSpec {
  return {
    data: series.map((s) => ({
      type: 'bar', name: s.name, x: [...categories], y: s.y,
      ...(s.error ? { error_y: { type: 'data', array: s.error.map((e) => (Number.isFinite(e) ? e : null)), visible: true, thickness: 1 } } : {}),
    })),
    layout: {
      title: { text: opts.title },
      barmode: 'group',
      xaxis: { title: { text: opts.xTitle } },
      yaxis: { title: { text: opts.yTitle }, ...(opts.yRange ? { range: opts.yRange } : {}) },
      legend: { orientation: 'h', y: -0.25 },
      margin: { t: 50, l: 60, r: 20, b: 90 },
      width: 720,
      height: 460,
    },
  };
}
