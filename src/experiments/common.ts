import * as aq from 'arquero';
import { join } from 'node:path';
import { accuracyCurves } from '../summary/curve.js';
import { DR_ESTIMATORS_SHOWN, drTable } from '../summary/dr.js';
import { runSweep, type SweepSelection } from '../sweep/engine.js';
import { ckaAnalysis, type CkaSelection } from '../similarity/analyses.js';
import type { FeatureBlock } from '../types.js';
import { REAL_MODELS } from './roles.js';
import type { ExperimentContext } from './types.js';

/**
 * Linear CKA of one model's layer on one task (both analyses, {@link ckaAnalysis}) over the grid's fractions below
 * the whole layer, on the first `grid.ckaRows` rows. Columns: model, dataset, selection, mode, fraction, k, seedA,
 * seedB, cka.
 */
export async function ckaFor(ctx: ExperimentContext, features: FeatureBlock, model: string, dataset: string, opts: { fractions: readonly number[]; selection?: CkaSelection }): Promise<aq.ColumnTable> {
  const fractions = opts.fractions.filter((f) => f > 0 && f < 1);
  const table = await ckaAnalysis(features, { fractions, seeds: ctx.grid.seeds, selection: opts.selection, rows: ctx.grid.ckaRows, linalg: ctx.linalg });
  return table
    .derive({ model: aq.escape(() => model), dataset: aq.escape(() => dataset) })
    .select('model', 'dataset', 'selection', 'mode', 'fraction', 'k', 'seedA', 'seedB', 'cka') as aq.ColumnTable;
}

/** File-name-safe form of a label. */
export function slug(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Options of {@link sweepFor}. */
export interface SweepForOptions {
  selections?: SweepSelection[];
  /** Fractions (default: the context grid's). */
  fractions?: number[];
  /** Absolute neuron counts instead of / besides fractions. */
  ks?: number[];
  layer?: string;
}

/**
 * Runs (or resumes) the probe sweep of `model` on `task` with the context's grid, in a per-(model, task,
 * layer) results file under `workDir/sweeps/`, so experiments sharing a model reuse each other's cells.
 * Returns only the rows of the requested selections and grid points (plus the full layer).
 */
export async function sweepFor(ctx: ExperimentContext, model: string, task: string, opts: SweepForOptions = {}): Promise<aq.ColumnTable> {
  const { train, test } = await ctx.source.splits(model, task, { layer: opts.layer });
  const selections = opts.selections ?? ['random'];
  const fractions = opts.fractions ?? (opts.ks ? [] : ctx.grid.fractions);
  const label = opts.layer ? `${model}@${opts.layer}` : model;
  const out = join(ctx.workDir, 'sweeps', `${slug(label)}__${slug(task)}.arrow`);
  const { results } = await runSweep({
    train, test, fractions, ks: opts.ks, seeds: ctx.grid.seeds, selections, probes: [ctx.grid.probe],
    model: label, dataset: task, out, linalg: ctx.linalg, progress: ctx.progress,
  });
  const d = train.features.d;
  const wantedF = new Set([...fractions.map((f) => f.toPrecision(12)), ...(opts.ks ?? []).map((k) => (k / d).toPrecision(12)), (1).toPrecision(12)]);
  return results.filter(aq.escape((r: any) => selections.includes(r.selection) && r.probe === ctx.grid.probe && wantedF.has(Number(r.fraction).toPrecision(12))));
}

/** Concatenates tables with the same columns (an empty table for none). */
export function concatTables(tables: aq.ColumnTable[]): aq.ColumnTable {
  const nonEmpty = tables.filter((t) => t.numRows() > 0);
  if (!nonEmpty.length) return tables[0] ?? aq.table({});
  return nonEmpty.slice(1).reduce((acc, t) => acc.concat(t), nonEmpty[0]);
}

/** Mean-over-seeds curves of several sweep tables (one per model/task). */
export function curvesOf(results: aq.ColumnTable): aq.ColumnTable {
  return accuracyCurves(results);
}

/** DR(δ) of results with both estimators. */
export function drOf(results: aq.ColumnTable, deltas: number[]): aq.ColumnTable {
  return drTable(results, { deltas, estimator: DR_ESTIMATORS_SHOWN });
}

/** The single value of `column` in the row matching `where` (NaN if none). */
export function valueWhere(table: aq.ColumnTable, where: Record<string, unknown>, column: string): number {
  const rows = table.objects() as Record<string, unknown>[];
  const hit = rows.find((r) => Object.entries(where).every(([k, v]) => (typeof v === 'number' ? Math.abs(Number(r[k]) - v) < 1e-9 : r[k] === v)));
  return hit ? Number(hit[column]) : NaN;
}

/** Formats a number with `digits` decimals (NaN as "n/a"). */
export function fmt(v: number, digits = 3): string {
  return Number.isFinite(v) ? v.toFixed(digits) : 'n/a';
}

/** Spearman rank correlation of two equal-length vectors (average ranks for ties); NaN if undefined. */
export function spearman(a: readonly number[], b: readonly number[]): number {
  const rank = (v: readonly number[]): number[] => {
    const idx = v.map((x, i) => [x, i] as const).sort((p, q) => p[0] - q[0]);
    const r = new Array<number>(v.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && idx[j + 1][0] === idx[i][0]) j++;
      for (let t = i; t <= j; t++) r[idx[t][1]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return r;
  };
  if (a.length !== b.length || a.length < 2) return NaN;
  const ra = rank(a);
  const rb = rank(b);
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(ra);
  const mb = mean(rb);
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < ra.length; i++) {
    num += (ra[i] - ma) * (rb[i] - mb);
    da += (ra[i] - ma) ** 2;
    db += (rb[i] - mb) ** 2;
  }
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : NaN;
}

/** The models of `wanted` the source has, and a note listing those it lacks. */
export function availableModels(ctx: ExperimentContext, wanted: readonly string[]): { models: string[]; missingNote?: string } {
  const models = wanted.filter((m) => ctx.source.hasModel(m));
  const missing = wanted.filter((m) => !ctx.source.hasModel(m));
  return { models, missingNote: missing.length ? `Models not available in this run: ${missing.join(', ')}.` : undefined };
}

/** The real pre-trained networks ({@link REAL_MODELS}) this run's source has (none for the zoo or synthetic sources alone). */
export function realModels(ctx: ExperimentContext): string[] {
  return REAL_MODELS.filter((m) => ctx.source.hasModel(m));
}

/** Task ids of the source, optionally restricted to `only`. */
export function taskIds(ctx: ExperimentContext, only?: readonly string[]): string[] {
  const ids = ctx.source.tasks().map((t) => t.id);
  return only ? ids.filter((t) => only.includes(t)) : ids;
}

/** Rows of `table` for which `pred` (a plain JS function of the row object) is true. */
export function filterRows(table: aq.ColumnTable, pred: (row: any) => boolean): aq.ColumnTable {
  return table.filter(aq.escape(pred));
}
