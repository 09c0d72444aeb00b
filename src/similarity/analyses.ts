import * as aq from 'arquero';
import { op } from 'arquero';
import type { FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { Progress, silentProgress, type ProgressSink } from '../util/progress.js';
import { kFromFraction, randomNeuronIndices, type NeuronRng } from '../select/randomNeurons.js';
import type { CkaVariant } from './linearCka.js';
import { SubsetCka, type SquaresPrecision } from './subsetCka.js';
import type { Centring } from './moments.js';

/** The fractions of the paper's Figure 1 / Figure 2 grid (E1, E2), including the full layer. */
export const PAPER_CKA_FRACTIONS: readonly number[] = [
  0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.8, 0.9, 1,
];

/** The paper's seeds for random subsets. */
export const PAPER_CKA_SEEDS: readonly number[] = [1, 2, 3, 4, 5];

/** The two analyses: a subset against the whole layer, or two subsets of one size against each other. */
export type CkaMode = 'part-whole' | 'subset-subset';

/** How the subsets are chosen: seeded `random` subsets, or the `first` k neurons (Matryoshka models nest them). */
export type CkaSelection = 'random' | 'first';

/** Words for a mode in titles and captions. */
export const CKA_MODE_LABELS: Readonly<Record<CkaMode, string>> = { 'part-whole': 'part vs whole', 'subset-subset': 'subset vs subset' };

/** Options shared by {@link ckaPartVsWhole}, {@link ckaSubsetVsSubset} and {@link ckaAnalysis}. */
export interface CkaAnalysisOptions {
  /** Fractions f of the layer; k = floor(f·d), at least 1. */
  fractions: readonly number[];
  /** `random` (default): one seeded subset per seed; `first`: the first k neurons, one row per fraction (seed null). */
  selection?: CkaSelection;
  /** Seeds of the random subsets; default 1..5 (part vs whole: one row per seed; subset vs subset: every pair). */
  seeds?: readonly number[];
  /** `linear` (default, biased HSIC as in the paper) or `debiased`. */
  variant?: CkaVariant;
  /** Use only the first `rows` rows (the authors used 1000 test rows). Only when building from features. */
  rows?: number;
  /** Generator of the random subsets: `ours` (default) or `torch` (the paper's exact subsets). */
  rng?: NeuronRng;
  /** Products backend for the Gram build. */
  linalg?: Linalg;
  /** Precision of the squares Gram (debiased only); see {@link SubsetCka.fromFeatures}. */
  squares?: SquaresPrecision;
  /** How the Gram is centred (see {@link Centring}); default `auto`. */
  centring?: Centring;
  /** Progress of the grid (cells done/total); default silent. */
  progress?: ProgressSink;
}

/** One row of a CKA analysis table. */
export interface CkaRow {
  mode: CkaMode;
  selection: CkaSelection;
  variant: CkaVariant;
  rng: NeuronRng;
  fraction: number;
  k: number;
  d: number;
  /** Rows the Gram was built from. */
  n: number;
  /** Seed of the (first) subset; null for first-k subsets. */
  seedA: number | null;
  /** Second subset's seed (subset vs subset), null for part vs whole. */
  seedB: number | null;
  cka: number;
}

const COLUMNS: (keyof CkaRow)[] = ['mode', 'selection', 'variant', 'rng', 'fraction', 'k', 'd', 'n', 'seedA', 'seedB', 'cka'];

/**
 * Builds (or reuses) the subset-CKA statistics for an analysis. Pass a prebuilt
 * {@link SubsetCka} to run both analyses from one Gram.
 */
export async function subsetCkaFor(source: FeatureBlock | SubsetCka, opts: Omit<CkaAnalysisOptions, 'fractions'> = {}): Promise<SubsetCka> {
  const variant = opts.variant ?? 'linear';
  if (source instanceof SubsetCka) {
    if (opts.rows !== undefined && opts.rows < source.n) {
      throw new RangeError(`CKA analysis: 'rows' (${opts.rows}) applies when building from features; this SubsetCka was built from ${source.n} rows`);
    }
    if (variant === 'debiased' && !source.hasDebiased) throw new Error('CKA analysis: the SubsetCka was built without { debiased: true }');
    return source;
  }
  return SubsetCka.fromFeatures(source, { linalg: opts.linalg, debiased: variant === 'debiased', rows: opts.rows, squares: opts.squares, centring: opts.centring });
}

function checkSeeds(seeds: readonly number[]): void {
  if (seeds.length === 0) throw new RangeError('CKA analysis: seeds must not be empty');
  for (const s of seeds) if (!Number.isSafeInteger(s)) throw new RangeError(`CKA analysis: seeds must be integers, got ${s}`);
  if (new Set(seeds).size !== seeds.length) throw new RangeError(`CKA analysis: seeds must be distinct, got ${seeds.join(',')}`);
}

function toTable(rows: CkaRow[]): aq.ColumnTable {
  const cols: Record<string, unknown[]> = {};
  for (const c of COLUMNS) cols[c] = rows.map((r) => r[c]);
  return aq.table(cols);
}

/** Distinct k values of the fractions, ascending, and each fraction's position among them. */
function prefixPlan(fractions: readonly number[], d: number): { ks: number[]; slot: number[] } {
  const perFraction = fractions.map((f) => kFromFraction(f, d));
  const ks = [...new Set(perFraction)].sort((a, b) => a - b);
  return { ks, slot: perFraction.map((k) => ks.indexOf(k)) };
}

/**
 * Part vs whole (the paper's E2): for each fraction f and seed s, CKA between the random
 * subset of k = floor(f·d) neurons drawn with seed s and the full layer.
 * Features: n×d row-major Float32Array (or a prebuilt {@link SubsetCka}).
 * The subsets of one seed are nested prefixes of one permutation, so all fractions of a
 * seed cost one O(k_max²/2) pass ({@link SubsetCka.prefixGrid}).
 * With `selection: 'first'`, the subsets are the first k neurons (one row per fraction, seedA null).
 * @returns arquero table with columns mode, selection, variant, rng, fraction, k, d, n, seedA, seedB (null), cka; one row per (fraction, seed).
 * @example
 * ```ts
 * const table = await ckaPartVsWhole(test.features, { fractions: [0.01, 0.1, 0.5], seeds: [1, 2, 3] });
 * ```
 */
export async function ckaPartVsWhole(source: FeatureBlock | SubsetCka, opts: CkaAnalysisOptions): Promise<aq.ColumnTable> {
  const selection = opts.selection ?? 'random';
  // First-k subsets do not depend on a seed: one order, one row per fraction.
  const seeds: readonly (number | null)[] = selection === 'first' ? [null] : (opts.seeds ?? PAPER_CKA_SEEDS);
  if (selection === 'random') checkSeeds(seeds as number[]);
  const sc = await subsetCkaFor(source, opts);
  const variant = opts.variant ?? 'linear';
  const rng = opts.rng ?? 'ours';
  const { ks, slot } = prefixPlan(opts.fractions, sc.d);
  const kmax = ks[ks.length - 1];
  const progress = new Progress('CKA part vs whole', opts.fractions.length * seeds.length, opts.progress ?? silentProgress, 'cells');
  const orders = seeds.map((seed) => (seed === null ? Int32Array.from({ length: kmax }, (_, i) => i) : randomNeuronIndices(sc.d, kmax, seed, rng)));
  const { prefixes } = sc.prefixGrid(orders, ks, variant, { pairs: false });
  const perSeed = prefixes.map((family) => {
    const values = family.map((p) => sc.partVsWhole(p, variant));
    progress.tick(opts.fractions.length);
    return values;
  });
  const rows: CkaRow[] = [];
  opts.fractions.forEach((fraction, fi) => {
    seeds.forEach((seed, si) => {
      const k = ks[slot[fi]];
      rows.push({ mode: 'part-whole', selection, variant, rng, fraction, k, d: sc.d, n: sc.n, seedA: seed, seedB: null, cka: perSeed[si][slot[fi]] });
    });
  });
  return toTable(rows);
}

/**
 * Subset vs subset (the paper's E2): for each fraction f and each unordered pair of seeds
 * (a, b), a before b in `seeds` (1..5 gives 10 pairs), CKA between the two random subsets
 * of k = floor(f·d) neurons. Each pair's blocks grow with k along the two permutations, so
 * all fractions of a pair cost one O(k_max²) pass ({@link SubsetCka.prefixGrid}).
 * @returns arquero table with columns mode, selection, variant, rng, fraction, k, d, n, seedA, seedB, cka; one row per (fraction, pair).
 * @example
 * ```ts
 * const table = await ckaSubsetVsSubset(test.features, { fractions: [0.01, 0.1], seeds: [1, 2, 3] });
 * ```
 */
export async function ckaSubsetVsSubset(source: FeatureBlock | SubsetCka, opts: CkaAnalysisOptions): Promise<aq.ColumnTable> {
  if ((opts.selection ?? 'random') !== 'random') throw new RangeError('CKA subset vs subset: needs random subsets (first-k subsets of one size are all the same)');
  const seeds = opts.seeds ?? PAPER_CKA_SEEDS;
  checkSeeds(seeds);
  if (seeds.length < 2) throw new RangeError('CKA subset vs subset: needs at least two seeds');
  const sc = await subsetCkaFor(source, opts);
  const variant = opts.variant ?? 'linear';
  const rng = opts.rng ?? 'ours';
  const { ks, slot } = prefixPlan(opts.fractions, sc.d);
  const kmax = ks[ks.length - 1];
  const pairs: [number, number][] = [];
  for (let i = 0; i < seeds.length; i++) for (let j = i + 1; j < seeds.length; j++) pairs.push([i, j]);
  const progress = new Progress('CKA subset vs subset', opts.fractions.length * pairs.length, opts.progress ?? silentProgress, 'cells');
  const orders = seeds.map((seed) => randomNeuronIndices(sc.d, kmax, seed, rng));
  const perPair = sc.prefixGrid(orders, ks, variant).pairs;
  progress.tick(opts.fractions.length * pairs.length);
  const rows: CkaRow[] = [];
  opts.fractions.forEach((fraction, fi) => {
    pairs.forEach(([i, j], pi) => {
      const k = ks[slot[fi]];
      rows.push({ mode: 'subset-subset', selection: 'random', variant, rng, fraction, k, d: sc.d, n: sc.n, seedA: seeds[i], seedB: seeds[j], cka: perPair[pi][slot[fi]] });
    });
  });
  return toTable(rows);
}

/**
 * Both analyses from one Gram: part vs whole, and (for random subsets with at least two seeds)
 * subset vs subset. Features: n×d row-major Float32Array (or a prebuilt {@link SubsetCka}).
 * @returns the rows of {@link ckaPartVsWhole} followed by those of {@link ckaSubsetVsSubset}.
 * @example
 * ```ts
 * const table = await ckaAnalysis(features, { fractions: [0.01, 0.1, 0.5], seeds: [1, 2, 3], rows: 1000 });
 * ```
 */
export async function ckaAnalysis(source: FeatureBlock | SubsetCka, opts: CkaAnalysisOptions): Promise<aq.ColumnTable> {
  const sc = await subsetCkaFor(source, opts);
  const partWhole = await ckaPartVsWhole(sc, opts);
  const seeds = opts.seeds ?? PAPER_CKA_SEEDS;
  if ((opts.selection ?? 'random') !== 'random' || seeds.length < 2) return partWhole;
  return partWhole.concat(await ckaSubsetVsSubset(sc, opts));
}

/** The grouping columns of {@link summariseCka}, where the table has them. */
const SUMMARY_KEYS = ['model', 'dataset', 'selection', 'mode', 'variant', 'fraction', 'k'];

/**
 * Mean CKA per (model, dataset, selection, mode, variant, fraction, k) — the columns the table has — over the
 * seeds or seed pairs where it is defined. Columns: the keys, ckaMean, ckaStd (population), pairs (defined),
 * undefinedPairs (subsets constant on the rows, e.g. dead ReLUs: CKA 0/0, left out of the mean).
 * @example
 * ```ts
 * summariseCka(await ckaAnalysis(features, { fractions: [0.1, 0.5] }));
 * ```
 */
export function summariseCka(table: aq.ColumnTable): aq.ColumnTable {
  const names = new Set(table.columnNames());
  const keys = SUMMARY_KEYS.filter((k) => names.has(k));
  // Mean first, then the squared deviations from it: the two-pass population std. arquero's aggregates skip NaN.
  return table
    .groupby(keys)
    .derive({ ckaGroupMean: (r: any) => op.sum(r.cka) / op.valid(r.cka) })
    .derive({ ckaSquaredDeviation: (r: any) => (op.is_finite(r.cka) ? (r.cka - r.ckaGroupMean) ** 2 : null) })
    .rollup({
      ckaSum: (r: any) => op.sum(r.cka),
      pairs: (r: any) => op.valid(r.cka),
      rows: () => op.count(),
      squaredDeviations: (r: any) => op.sum(r.ckaSquaredDeviation),
    })
    .derive({
      ckaMean: (r: any) => (r.pairs > 0 ? r.ckaSum / r.pairs : NaN),
      ckaStd: (r: any) => (r.pairs > 0 ? op.sqrt(r.squaredDeviations / r.pairs) : NaN),
      undefinedPairs: (r: any) => r.rows - r.pairs,
    })
    .select(...keys, 'ckaMean', 'ckaStd', 'pairs', 'undefinedPairs') as aq.ColumnTable;
}
