import { SeededRng } from '../util/random.js';
import { torchRandperm } from './torchRandom.js';

/** Which generator draws random neurons: the package's own (default) or PyTorch's. */
export type NeuronRng = 'ours' | 'torch';

/**
 * Number of neurons for a fraction f of a layer of width d: floor(f·d), at least 1, as the
 * paper's `int(f * d)`. The product is taken in double precision exactly like Python's,
 * so e.g. f = 0.29, d = 100 gives 28 in both.
 * @param fraction in (0, 1]
 * @param d layer width (positive integer)
 */
export function kFromFraction(fraction: number, d: number): number {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`kFromFraction: d must be a positive integer, got ${d}`);
  if (!Number.isFinite(fraction) || fraction <= 0 || fraction > 1) {
    throw new RangeError(`kFromFraction: fraction must be in (0, 1], got ${fraction}`);
  }
  return Math.max(1, Math.floor(fraction * d));
}

/**
 * k distinct neuron indices out of 0..d-1, in pick order: the first k of a seeded random
 * permutation. With `rng = 'torch'` they equal PyTorch's
 * `torch.manual_seed(seed); torch.randperm(d)[:k]` on CPU; with `'ours'` they come from
 * {@link SeededRng} (xoshiro128**). Either way, for one seed the subset for a smaller k
 * is a prefix of the subset for a larger k.
 * @returns Int32Array of length k (not sorted; see {@link sortedCopy}).
 */
export function randomNeuronIndices(d: number, k: number, seed: number, rng: NeuronRng = 'ours'): Int32Array {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`randomNeuronIndices: d must be a positive integer, got ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`randomNeuronIndices: k must be an integer in [1, ${d}], got ${k}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`randomNeuronIndices: seed must be an integer, got ${seed}`);
  if (rng === 'torch') return torchRandperm(d, seed, k);
  if (rng === 'ours') return new SeededRng(seed).samplePrefix(d, k);
  throw new RangeError(`randomNeuronIndices: rng must be 'ours' or 'torch', got '${String(rng)}'`);
}

/** Ascending copy of an index array. */
export function sortedCopy(indices: Int32Array): Int32Array {
  return Int32Array.from(indices).sort();
}
