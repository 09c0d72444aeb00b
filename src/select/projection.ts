import { SeededRng } from '../util/random.js';
import { torchRand } from './torchRandom.js';

/** Entry distribution of a random projection. */
export type ProjectionKind = 'uniform' | 'gaussian';

/**
 * The paper's random projection, first k columns: a d×d matrix with entries Uniform[0, 1)
 * (`uniform`) or standard normal (`gaussian`), each column scaled to unit L2 norm, of which
 * the first k columns are kept → d×k row-major Float32Array.
 *
 * The full d×d matrix is always drawn (row-major, one draw per entry) so the first k
 * columns are the same for every k with one seed. `rng = 'torch'` draws the uniform
 * matrix as `torch.manual_seed(seed); torch.rand(d, d)`; otherwise {@link SeededRng}.
 * Column norms are computed in float64 before rounding to float32.
 */
export function randomProjectionMatrix(d: number, k: number, seed: number, kind: ProjectionKind = 'uniform', rng: 'ours' | 'torch' = 'ours'): Float32Array {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`randomProjectionMatrix: d must be a positive integer, got ${d}`);
  if (!Number.isInteger(k) || k < 1 || k > d) throw new RangeError(`randomProjectionMatrix: k must be an integer in [1, ${d}], got ${k}`);
  if (!Number.isSafeInteger(seed)) throw new RangeError(`randomProjectionMatrix: seed must be an integer, got ${seed}`);
  // Only the first k entries of each row are kept (in float64, for the column norms); the rest are
  // drawn and dropped so every kept entry is the one the full d×d draw would have put there.
  const kept = new Float64Array(d * k);
  if (rng === 'torch') {
    if (kind !== 'uniform') throw new RangeError(`randomProjectionMatrix: rng 'torch' reproduces torch.rand only (kind 'uniform'), got '${kind}'`);
    const full = torchRand(d * d, seed);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) kept[i * k + j] = full[i * d + j];
  } else if (kind === 'uniform') {
    const gen = new SeededRng(seed);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < k; j++) kept[i * k + j] = gen.nextFloat();
      // nextFloat is two 32-bit draws.
      for (let j = k; j < d; j++) {
        gen.nextUint32();
        gen.nextUint32();
      }
    }
  } else if (kind === 'gaussian') {
    const gen = new SeededRng(seed);
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < k; j++) kept[i * k + j] = gen.nextNormal();
      for (let j = k; j < d; j++) gen.nextNormal();
    }
  } else throw new RangeError(`randomProjectionMatrix: kind must be 'uniform' or 'gaussian', got '${String(kind)}'`);
  const norms = new Float64Array(k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) norms[j] += kept[i * k + j] * kept[i * k + j];
  for (let j = 0; j < k; j++) norms[j] = Math.sqrt(norms[j]);
  const out = new Float32Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[i * k + j] = kept[i * k + j] / norms[j];
  return out;
}
