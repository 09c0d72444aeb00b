import {
  baseLayout, colourAt, groupBy, meanByX, pointsFromAggregates, requireColumns, rowsOf, seriesTraces, varyingKeys,
  type AxisOptions, type MeanPoint, type PlotSpec, type TableLike,
} from './spec.js';

/** Value filter on rows: every listed column must equal the value (or one of the values). */
export type RowFilter = Record<string, string | number | ReadonlyArray<string | number>>;

/** Rows matching every condition of `where` (numbers compared with a 1e-9 tolerance). */
export function filterRowsWhere(rows: readonly Record<string, unknown>[], where: RowFilter | undefined): Record<string, unknown>[] {
  if (!where) return [...rows];
  const tests = Object.entries(where).map(([col, want]) => {
    const values = (Array.isArray(want) ? want : [want]) as Array<string | number>;
    return (r: Record<string, unknown>) => values.some((v) => (typeof v === 'number' ? Math.abs(Number(r[col]) - v) < 1e-9 : String(r[col]) === v));
  });
  return rows.filter((r) => tests.every((t) => t(r)));
}

/** How to read the y values of a series: per-run rows (mean ± std computed here) or pre-aggregated rows. */
export interface YColumns {
  /** Per-run value column (e.g. `accuracy`, `cka`). */
  run: string;
  /** Column of an aggregate mean, used when present (e.g. `accuracyMean`). */
  mean?: string;
  /** Column of an aggregate std, used with `mean`. */
  std?: string;
}

/** Mean ± std points of one group: aggregates when the rows carry `y.mean`, else computed over runs. */
export function pointsOf(rows: readonly Record<string, unknown>[], x: string, y: YColumns): MeanPoint[] {
  if (y.mean && rows.length && y.mean in rows[0]) return pointsFromAggregates(rows, x, y.mean, y.std);
  return meanByX(rows, x, y.run);
}

/** The published numbers to draw beside ours (dashed), e.g. `loadPaperNumbers('fig1')`. */
export interface PaperOverlay {
  rows: TableLike;
  /** Keep only matching rows, e.g. `{ downstream: 'cifar10' }`. */
  where?: RowFilter;
  /** Column of x in the paper's file (default: the figure's x, with `k` read as `neurons`). */
  x?: string;
  /** Mean column (default `accuracy_mean` or `cka_mean`, whichever exists). */
  mean?: string;
  /** Std column drawn as a band when present (default `accuracy_std` when it exists). */
  std?: string;
  /** Columns naming one paper curve (default: those of model, pretraining, selection, downstream that vary). */
  series?: string[];
  /** Prefix of the legend entries (default `paper`). */
  label?: string;
}

/** Dashed traces of the paper's numbers; colours continue after `colourOffset`. */
export function paperTraces(overlay: PaperOverlay, figureX: string, colourOffset: number): any[] {
  const rows = filterRowsWhere(rowsOf(overlay.rows), overlay.where);
  if (!rows.length) return [];
  const x = overlay.x ?? (figureX === 'k' ? 'neurons' : figureX);
  const mean = overlay.mean ?? ['accuracy_mean', 'cka_mean', 'accuracyMean', 'dr'].find((c) => c in rows[0]);
  if (!mean) throw new RangeError(`paper overlay: rows have no accuracy_mean / cka_mean column (have ${Object.keys(rows[0]).join(', ')})`);
  requireColumns(rows, [x, mean], 'paper overlay');
  const std = overlay.std ?? ('accuracy_std' in rows[0] ? 'accuracy_std' : undefined);
  const keys = overlay.series ?? varyingKeys(rows, ['model', 'pretraining', 'selection', 'downstream']);
  return groupBy(rows, keys).flatMap((g, i) => seriesTraces({
    name: `${overlay.label ?? 'paper'}: ${g.label}`,
    points: pointsFromAggregates(g.rows, x, mean, std),
    colour: colourAt(colourOffset + i), band: Boolean(std), dash: 'dash',
  }));
}

/** Options of {@link linesFigure}. */
export interface LinesOptions extends AxisOptions {
  /** Column on the x axis. */
  x: string;
  y: YColumns;
  /** Columns whose values make one curve each (default: those of model, dataset, selection, probe that vary). */
  series?: string[];
  /** Columns choosing the colour (default: all series columns except `dashBy`). */
  colourBy?: string[];
  /** Column choosing the line dash (solid, dash, dot by first-seen value), e.g. `selection`. */
  dashBy?: string;
  /** Draw ± std bands (default true). */
  band?: boolean;
  /** Order of the curves: by this numeric column ascending (e.g. `d` for widths); default first-seen. */
  orderBy?: string;
  paper?: PaperOverlay;
  /** Keep only matching rows first, e.g. `{ dataset: 'digits' }`. */
  where?: RowFilter;
  title: string;
  xTitle: string;
  yTitle: string;
}

const DASHES = ['solid', 'dash', 'dot'] as const;

/**
 * The generic curve figure behind the accuracy and CKA builders: one line (with an optional ± std band)
 * per series, y aggregated per x value, plus the paper's numbers as dashed lines.
 */
export function linesFigure(input: TableLike, o: LinesOptions): PlotSpec {
  const rows = filterRowsWhere(rowsOf(input), o.where);
  requireColumns(rows, [o.x], o.title);
  if (rows.length && !(o.y.run in rows[0]) && !(o.y.mean && o.y.mean in rows[0])) {
    throw new RangeError(`${o.title}: input rows need a '${o.y.run}'${o.y.mean ? ` or '${o.y.mean}'` : ''} column (have ${Object.keys(rows[0]).join(', ')})`);
  }
  const seriesKeys = o.series ?? varyingKeys(rows, ['model', 'dataset', 'selection', 'probe']);
  const colourKeys = o.colourBy ?? seriesKeys.filter((k) => k !== o.dashBy);
  let groups = groupBy(rows, seriesKeys);
  if (o.orderBy) {
    const col = o.orderBy;
    groups = [...groups].sort((a, b) => Number(a.rows[0][col]) - Number(b.rows[0][col]));
  }
  const colourIds = new Map<string, number>();
  const dashIds = new Map<string, number>();
  const data: any[] = [];
  for (const g of groups) {
    const cid = JSON.stringify(colourKeys.map((k) => g.key[k]));
    if (!colourIds.has(cid)) colourIds.set(cid, colourIds.size);
    let dash: (typeof DASHES)[number] = 'solid';
    if (o.dashBy) {
      const did = String(g.key[o.dashBy] ?? g.rows[0][o.dashBy]);
      if (!dashIds.has(did)) dashIds.set(did, dashIds.size);
      dash = DASHES[dashIds.get(did)! % DASHES.length];
    }
    data.push(...seriesTraces({
      name: g.label, points: pointsOf(g.rows, o.x, o.y), colour: colourAt(colourIds.get(cid)!), band: o.band !== false, dash,
    }));
  }
  if (o.paper) data.push(...paperTraces(o.paper, o.x, colourIds.size));
  return { data, layout: baseLayout(o) };
}
