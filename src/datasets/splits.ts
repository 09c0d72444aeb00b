import { SeededRng } from '../util/random.js';

/** Index sets of a train/validation split; both sorted ascending and disjoint. */
export interface TrainValSplit {
  train: Int32Array;
  val: Int32Array;
}

/**
 * Deterministic train/validation split of n training examples, as the paper does it
 * (a random 10% held out for validation, seed 0). The validation set is the first
 * round(valFraction·n) entries of a seeded permutation; both index lists are returned sorted.
 */
export function trainValSplit(n: number, valFraction = 0.1, seed = 0): TrainValSplit {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`trainValSplit: n must be a non-negative integer, got ${n}`);
  if (!(valFraction >= 0 && valFraction < 1)) throw new RangeError(`trainValSplit: valFraction must be in [0, 1), got ${valFraction}`);
  const perm = new SeededRng(seed).permutation(n);
  const nVal = Math.round(valFraction * n);
  const val = perm.slice(0, nVal).sort();
  const train = perm.slice(nVal).sort();
  return { train, val };
}

/**
 * Picks `perClass` examples of every class (seeded), for low-data downstream tasks such as
 * "10 images per class". Returns sorted indices into `labels`; classes with fewer examples
 * contribute all they have.
 */
export function perClassSubset(labels: Int32Array, perClass: number, seed = 0): Int32Array {
  const perm = new SeededRng(seed).permutation(labels.length);
  const taken = new Map<number, number>();
  const picked: number[] = [];
  for (const i of perm) {
    const c = labels[i];
    const t = taken.get(c) ?? 0;
    if (t < perClass) {
      taken.set(c, t + 1);
      picked.push(i);
    }
  }
  return Int32Array.from(picked).sort();
}

/** A seeded random `fraction` of 0..n-1 (at least one index), sorted. */
export function randomFractionSubset(n: number, fraction: number, seed = 0): Int32Array {
  const k = Math.max(1, Math.round(fraction * n));
  return new SeededRng(seed).permutation(n).slice(0, k).sort();
}
