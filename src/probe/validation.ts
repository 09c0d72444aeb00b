import { SeededRng } from '../util/random.js';
import type { CentredMoments } from './gram.js';
import { PROBE_DEFAULTS } from './defaults.js';

/** How the training split is divided for choosing λ. */
export type HoldoutPlan =
  | {
    used: true;
    /** Rows the candidate probes are fitted on, ascending. */
    fit: Int32Array;
    /** Held-out rows they are scored on, ascending. */
    val: Int32Array;
    stratified: true;
    fraction: number;
    seed: number;
    /**
     * When the held-out part is small (< minValRows rows), round(1/fraction) disjoint stratified
     * parts covering every row (per class, fold j holds positions j, j+K, … of the class's seeded
     * order): λ is then scored on each in turn (the other rows being the fit rows) and the
     * accuracies pooled, so 10-shot data is judged on 100 held-out predictions, not 10.
     */
    folds?: Int32Array[];
  }
  | { used: false; reason: string };

/**
 * The validation part of a training split: per class present in `labels`, a seeded shuffle of its
 * rows and the first max(1, round(fraction·n_c)) of them (at most n_c − 1) held out; the seed is
 * mixed with nothing else, so the same labels give the same plan in every probe of a sweep.
 * Too small a split (fewer than `minRows` rows, or a class with fewer than `minPerClass` rows)
 * returns `used: false` with the reason; callers then apply the documented fallback penalty.
 */
export function planHoldout(labels: Int32Array, opts: { fraction?: number; seed?: number; minRows?: number; minPerClass?: number; minValRows?: number } = {}): HoldoutPlan {
  const v = PROBE_DEFAULTS.validation;
  const fraction = opts.fraction ?? v.fraction;
  const seed = opts.seed ?? v.seed;
  const minRows = opts.minRows ?? v.minRows;
  const minPerClass = opts.minPerClass ?? v.minPerClass;
  if (!(fraction > 0 && fraction < 1)) throw new RangeError(`validation: fraction must be in (0, 1), got ${fraction}`);
  const n = labels.length;
  if (n < minRows) return { used: false, reason: `${n} training rows (< ${minRows}) are too few to hold out a validation part` };
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const list = byClass.get(labels[i]);
    if (list) list.push(i); else byClass.set(labels[i], [i]);
  }
  const classes = [...byClass.keys()].sort((a, b) => a - b);
  const small = classes.filter((c) => byClass.get(c)!.length < minPerClass);
  if (small.length) {
    return { used: false, reason: `class${small.length > 1 ? 'es' : ''} ${small.slice(0, 5).join(', ')}${small.length > 5 ? ', …' : ''} ha${small.length > 1 ? 've' : 's'} fewer than ${minPerClass} training rows` };
  }
  const rng = new SeededRng(seed);
  const val: number[] = [];
  const perms = new Map<number, Int32Array>();
  for (const c of classes) {
    const rows = byClass.get(c)!;
    const perm = rng.permutation(rows.length);
    perms.set(c, perm);
    const take = Math.min(rows.length - 1, Math.max(1, Math.round(fraction * rows.length)));
    for (let t = 0; t < take; t++) val.push(rows[perm[t]]);
  }
  const valSet = Int32Array.from(val).sort();
  const plan: HoldoutPlan = { used: true, fit: complementRows(valSet, n), val: valSet, stratified: true, fraction, seed };
  if (valSet.length < (opts.minValRows ?? v.minValRows)) {
    // Fold j takes, per class, the rows at positions j, j+K, j+2K, … of the class's shuffled order.
    const K = Math.max(2, Math.round(1 / fraction));
    const folds: number[][] = Array.from({ length: K }, () => []);
    for (const c of classes) {
      const rows = byClass.get(c)!;
      const perm = perms.get(c)!;
      for (let t = 0; t < rows.length; t++) folds[t % K].push(rows[perm[t]]);
    }
    plan.folds = folds.filter((f) => f.length > 0).map((f) => Int32Array.from(f).sort());
  }
  return plan;
}

/** The rows 0..n−1 not in the sorted list `rows`, ascending. */
export function complementRows(rows: Int32Array, n: number): Int32Array {
  const isIn = new Uint8Array(n);
  for (const i of rows) isIn[i] = 1;
  const out = new Int32Array(n - rows.length);
  let f = 0;
  for (let i = 0; i < n; i++) if (!isIn[i]) out[f++] = i;
  return out;
}

/**
 * Moments of the rows NOT in `part`, from the moments of all rows and of `part` (same columns):
 * with δ = μ_part − μ_rest, G_all = G_rest + G_part + (n_rest·n_part/n)·δδᵀ (and likewise for the
 * cross moments with the one-hot labels), so no pass over the rest's rows is needed.
 */
export function complementMoments(all: CentredMoments, part: CentredMoments): CentredMoments {
  const { n, d, classes } = all;
  if (part.d !== d || part.classes !== classes) throw new RangeError(`complementMoments: part has ${part.d}×${part.classes}, all has ${d}×${classes}`);
  const np = part.n;
  const nr = n - np;
  if (!(nr >= 1)) throw new RangeError(`complementMoments: part has ${np} of ${n} rows, nothing left`);
  const mean = new Float64Array(d);
  const dx = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    mean[j] = (n * all.mean[j] - np * part.mean[j]) / nr;
    dx[j] = part.mean[j] - mean[j];
  }
  const classMean = new Float64Array(classes);
  const dy = new Float64Array(classes);
  for (let c = 0; c < classes; c++) {
    classMean[c] = (n * all.classMean[c] - np * part.classMean[c]) / nr;
    dy[c] = part.classMean[c] - classMean[c];
  }
  const w = (nr * np) / n;
  const gram = new Float64Array(d * d);
  for (let a = 0; a < d; a++) {
    const wa = w * dx[a];
    const o = a * d;
    for (let b = 0; b < d; b++) gram[o + b] = all.gram[o + b] - part.gram[o + b] - wa * dx[b];
  }
  const xty = new Float64Array(d * classes);
  for (let a = 0; a < d; a++) {
    for (let c = 0; c < classes; c++) xty[a * classes + c] = all.xty[a * classes + c] - part.xty[a * classes + c] - w * dx[a] * dy[c];
  }
  return { n: nr, d, classes, mean, gram, xty, classMean };
}

/** Mean variance of the columns the moments describe (trace(G)/(n·d)), or of standardised columns (1). */
export function meanVariance(m: CentredMoments, standardize = false): number {
  if (standardize) return 1;
  let t = 0;
  for (let j = 0; j < m.d; j++) t += m.gram[j * m.d + j];
  return t / (m.n * m.d);
}
