/**
 * Small seeded pseudo-random generator (mulberry32) for dataset splits and subsets.
 * Chosen because it is tiny, fast and its output is fixed by the seed on every platform.
 */
export interface SeededRandom {
  /** Uniform float in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  int(n: number): number;
}

/** A seeded generator; equal seeds give equal sequences. `seed` is any 32-bit integer. */
export function seededRandom(seed: number): SeededRandom {
  let state = (seed | 0) ^ 0x9e3779b9;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (n: number) => Math.floor(next() * n) };
}

/** A uniformly random permutation of 0..n-1 (Fisher–Yates), fixed by `seed`. */
export function seededPermutation(n: number, seed: number): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const rng = seededRandom(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
  return perm;
}
