import type * as aq from 'arquero';
import { SeededRng } from '../util/random.js';
import { makeAccuracyCurve, type AccuracyCurve } from './curve.js';
import { groupIndices, tableRows, type Row } from './groups.js';
import type { Interval } from './intervals.js';

/**
 * Which test rows a probe got right, as a compact string: base64 of a bitset, bit i (LSB first in
 * byte i>>3) set when predictions[i] === labels[i]. Stored per cell in sweep results so accuracies can
 * be resampled over test rows later.
 */
export function encodeCorrect(predictions: Int32Array, labels: Int32Array): string {
  if (predictions.length !== labels.length) throw new RangeError(`encodeCorrect: ${predictions.length} predictions but ${labels.length} labels`);
  const bytes = new Uint8Array(Math.ceil(labels.length / 8));
  for (let i = 0; i < labels.length; i++) if (predictions[i] === labels[i]) bytes[i >> 3] |= 1 << (i & 7);
  return Buffer.from(bytes).toString('base64');
}

/** Indices of the correct rows (ascending) from {@link encodeCorrect}'s string, for a test set of `n` rows. */
export function decodeCorrect(encoded: string, n: number): Int32Array {
  const bytes = Buffer.from(encoded, 'base64');
  if (bytes.length !== Math.ceil(n / 8)) throw new RangeError(`decodeCorrect: ${bytes.length} bytes do not describe ${n} rows`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (bytes[i >> 3] & (1 << (i & 7))) out.push(i);
  return Int32Array.from(out);
}

/** One probe cell: its tested fraction, seed (null: not seeded), and outcomes. */
interface Cell {
  fraction: number;
  seed: number | null;
  accuracy: number;
  perClass: number[] | null;
  /** Indices of correctly classified test rows; null when the results carry no per-row outcomes. */
  correct: Int32Array | null;
}

/** All cells of one (model, dataset, selection) series and the test labels they were scored on. */
interface Series {
  model: string;
  dataset: string;
  selection: string;
  /** Distinct seeds of the seeded cells, ascending. */
  seeds: number[];
  /** fraction (toPrecision(12)) → cells at that fraction. */
  byFraction: Map<string, Cell[]>;
  labels: Int32Array | null;
  /** Key of the test rows: series with identical labels share row resamples (paired). */
  rowGroup: string;
}

/** The data a replicate sees: every accuracy, per-class accuracy and curve, recomputed on resampled seeds and rows. */
export interface ReplicateView {
  /** Mean accuracy over (resampled) seeds at `fraction` (NaN when the series has no such cell). */
  accuracy(model: string, dataset: string, selection: string, fraction: number): number;
  /** Per-class accuracy at `fraction`, mean over (resampled) seeds (classes in label order). */
  perClass(model: string, dataset: string, selection: string, fraction: number): number[];
  /** The (fraction, mean accuracy) curve of a series, full layer included. */
  curve(model: string, dataset: string, selection: string): AccuracyCurve;
  /** Tested fractions of a series, ascending. */
  fractions(model: string, dataset: string, selection: string): number[];
}

const fkey = (f: number) => Number(f).toPrecision(12);
const skey = (model: string, dataset: string, selection: string) => JSON.stringify([model, dataset, selection]);

function labelsKey(labels: Int32Array | null, fallback: string): string {
  if (!labels) return `none:${fallback}`;
  let h = 2166136261;
  for (let i = 0; i < labels.length; i++) h = Math.imul(h ^ labels[i], 16777619);
  return `${labels.length}:${h >>> 0}`;
}

/**
 * Probe outcomes of a results table (one row per model × dataset × selection × fraction × seed, columns
 * model, dataset, selection, fraction, seed, accuracy, optional perClassAccuracy and `correct` from
 * {@link encodeCorrect}) prepared for resampling. `labels(model, dataset)` gives the test labels of a
 * series (needed for per-row resampling; without them, or without a `correct` column, only seeds are resampled).
 */
export class OutcomeSet {
  private readonly series = new Map<string, Series>();
  /** True when every cell carries per-row outcomes, so test rows are resampled too. */
  readonly rowsResampled: boolean;

  constructor(results: aq.ColumnTable, labels: (model: string, dataset: string) => Int32Array | null) {
    const rows = tableRows(results, ['model', 'dataset', 'selection', 'fraction', 'seed', 'accuracy'], 'bootstrap outcomes');
    let allRows = rows.length > 0;
    for (const [key, indices] of groupIndices(results, ['model', 'dataset', 'selection'])) {
      const g = indices.map((i) => rows[i]);
      const [model, dataset, selection] = [String(key.model), String(key.dataset), String(key.selection)];
      const lab = labels(model, dataset);
      const byFraction = new Map<string, Cell[]>();
      const seeds = new Set<number>();
      for (const r of g) {
        const cell = toCell(r, lab);
        if (!cell.correct) allRows = false;
        if (cell.seed !== null) seeds.add(cell.seed);
        const k = fkey(cell.fraction);
        if (!byFraction.has(k)) byFraction.set(k, []);
        byFraction.get(k)!.push(cell);
      }
      this.series.set(skey(model, dataset, selection), {
        model, dataset, selection, seeds: [...seeds].sort((a, b) => a - b), byFraction, labels: lab, rowGroup: labelsKey(lab, `${model}|${dataset}`),
      });
    }
    this.rowsResampled = allRows;
  }

  /** Seeds found in the seeded cells of any series, ascending. */
  seeds(): number[] {
    return [...new Set([...this.series.values()].flatMap((s) => s.seeds))].sort((a, b) => a - b);
  }

  /** The view of the data as observed (all rows once, every seed once): point estimates. */
  observed(): ReplicateView {
    return this.view(() => null, () => null);
  }

  /**
   * A bootstrap replicate drawn from `rng`: per group of identical test rows, n rows drawn with
   * replacement (shared by every series scored on those rows: a paired resample); per series, its
   * seeds drawn with replacement (the same draw at every fraction, since one seed is one random subset per fraction).
   */
  replicate(rng: SeededRng): ReplicateView {
    const weights = new Map<string, Float64Array>();
    const seedDraws = new Map<string, Map<number, number>>();
    const rowWeights = (s: Series): Float64Array | null => {
      if (!this.rowsResampled || !s.labels) return null;
      let w = weights.get(s.rowGroup);
      if (!w) {
        const n = s.labels.length;
        w = new Float64Array(n);
        for (let i = 0; i < n; i++) w[rng.below(n)]++;
        weights.set(s.rowGroup, w);
      }
      return w;
    };
    const seedCounts = (s: Series): Map<number, number> | null => {
      const id = skey(s.model, s.dataset, s.selection);
      let c = seedDraws.get(id);
      if (!c) {
        c = new Map();
        for (let i = 0; i < s.seeds.length; i++) {
          const seed = s.seeds[rng.below(s.seeds.length)];
          c.set(seed, (c.get(seed) ?? 0) + 1);
        }
        seedDraws.set(id, c);
      }
      return c;
    };
    return this.view(rowWeights, seedCounts);
  }

  private get(model: string, dataset: string, selection: string): Series {
    const s = this.series.get(skey(model, dataset, selection));
    if (!s) throw new RangeError(`bootstrap: no results for model '${model}', dataset '${dataset}', selection '${selection}'`);
    return s;
  }

  private view(rowWeights: (s: Series) => Float64Array | null, seedCounts: (s: Series) => Map<number, number> | null): ReplicateView {
    const memo = new Map<string, { acc: number; perClass: number[] }>();
    // Resampled rows per class depend only on the row weights: one pass per test set and replicate.
    const classTotals = new Map<Float64Array, Float64Array>();
    const cellStats = (s: Series, cell: Cell): { acc: number; perClass: number[] } => {
      const w = rowWeights(s);
      if (!w || !cell.correct || !s.labels) return { acc: cell.accuracy, perClass: cell.perClass ?? [] };
      const labels = s.labels;
      let total = classTotals.get(w);
      if (!total) {
        total = new Float64Array(labels.reduce((m, v) => Math.max(m, v), -1) + 1);
        for (let i = 0; i < labels.length; i++) total[labels[i]] += w[i];
        classTotals.set(w, total);
      }
      const hit = new Float64Array(total.length);
      for (const i of cell.correct) hit[labels[i]] += w[i];
      const all = total.reduce((a, b) => a + b, 0);
      const right = hit.reduce((a, b) => a + b, 0);
      return { acc: all > 0 ? right / all : NaN, perClass: Array.from(total, (t, c) => (t > 0 ? hit[c] / t : NaN)) };
    };
    const atFraction = (model: string, dataset: string, selection: string, fraction: number) => {
      const id = `${skey(model, dataset, selection)}|${fkey(fraction)}`;
      const hit = memo.get(id);
      if (hit) return hit;
      const s = this.get(model, dataset, selection);
      const cells = s.byFraction.get(fkey(fraction)) ?? [];
      const counts = seedCounts(s);
      let wsum = 0;
      let acc = 0;
      let perClass: number[] = [];
      for (const cell of cells) {
        const times = cell.seed === null || !counts ? 1 : (counts.get(cell.seed) ?? 0);
        if (!times) continue;
        const st = cellStats(s, cell);
        acc += times * st.acc;
        if (!perClass.length) perClass = new Array(st.perClass.length).fill(0);
        st.perClass.forEach((v, c) => { perClass[c] += times * v; });
        wsum += times;
      }
      const out = wsum ? { acc: acc / wsum, perClass: perClass.map((v) => v / wsum) } : { acc: NaN, perClass: [] };
      memo.set(id, out);
      return out;
    };
    const fractions = (model: string, dataset: string, selection: string) => [...this.get(model, dataset, selection).byFraction.values()].map((c) => c[0].fraction).sort((a, b) => a - b);
    return {
      accuracy: (m, t, sel, f) => atFraction(m, t, sel, f).acc,
      perClass: (m, t, sel, f) => atFraction(m, t, sel, f).perClass,
      fractions,
      curve: (m, t, sel) => {
        const fs = fractions(m, t, sel);
        return makeAccuracyCurve(fs, fs.map((f) => atFraction(m, t, sel, f).acc));
      },
    };
  }
}

function toCell(r: Row, labels: Int32Array | null): Cell {
  const pc = r.perClassAccuracy as ArrayLike<number> | null | undefined;
  const enc = r.correct;
  return {
    fraction: Number(r.fraction),
    seed: r.seed === null || r.seed === undefined ? null : Number(r.seed),
    accuracy: Number(r.accuracy),
    perClass: pc && typeof pc.length === 'number' ? Array.from(pc, Number) : null,
    correct: typeof enc === 'string' && enc && labels ? decodeCorrect(enc, labels.length) : null,
  };
}

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of replicates (default 1000). */
  replicates?: number;
  /** Seed of the resampling generator (default 1): same seed, same interval. */
  seed?: number;
  /** Coverage (default 0.95). */
  level?: number;
}

/**
 * Percentile bootstrap interval of `statistic` over {@link OutcomeSet} replicates (seeds and, when the
 * results carry per-row outcomes, test rows resampled). The estimate is the statistic on the observed data.
 * When more than (1 − level)/2 of the replicates give a non-finite value, the bounds are NaN (undecidable).
 */
export function bootstrapInterval(set: OutcomeSet, statistic: (view: ReplicateView) => number, opts: BootstrapOptions = {}): Interval {
  const B = opts.replicates ?? 1000;
  const level = opts.level ?? 0.95;
  if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`bootstrap: replicates must be a positive integer, got ${B}`);
  const rng = new SeededRng(opts.seed ?? 1);
  const estimate = statistic(set.observed());
  const values: number[] = [];
  for (let b = 0; b < B; b++) values.push(statistic(set.replicate(rng)));
  const method = `percentile bootstrap, ${B} replicates over ${set.rowsResampled ? 'seeds and test rows (paired)' : 'seeds only (no per-row outcomes)'}`;
  return { estimate, ...percentileBounds(values, level), level, method };
}

/**
 * The (1 − level)/2 and (1 + level)/2 quantiles of `values` (linear interpolation between order
 * statistics, numpy's default); non-finite values count as missing, and too many of them give NaN bounds.
 */
export function percentileBounds(values: readonly number[], level = 0.95): { lo: number; hi: number } {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  const alpha = (1 - level) / 2;
  if (!finite.length || values.length - finite.length > alpha * values.length) return { lo: NaN, hi: NaN };
  return { lo: quantileSorted(finite, alpha), hi: quantileSorted(finite, 1 - alpha) };
}

/** Quantile q of ascending `sorted` (numpy's default "linear" method). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (!sorted.length) return NaN;
  const pos = q * (sorted.length - 1);
  const i = Math.floor(pos);
  const t = pos - i;
  return i + 1 < sorted.length ? sorted[i] + t * (sorted[i + 1] - sorted[i]) : sorted[i];
}
