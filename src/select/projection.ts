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
  let full: Float32Array | Float64Array;
  if (rng === 'torch') {
    if (kind !== 'uniform') throw new RangeError(`randomProjectionMatrix: rng 'torch' reproduces torch.rand only (kind 'uniform'), got '${kind}'`);
    full = torchRand(d * d, seed);
  } else {
    const gen = new SeededRng(seed);
    full = new Float64Array(d * d);
    if (kind === 'uniform') for (let i = 0; i < d * d; i++) full[i] = gen.nextFloat();
    else if (kind === 'gaussian') for (let i = 0; i < d * d; i++) full[i] = gen.nextNormal();
    else throw new RangeError(`randomProjectionMatrix: kind must be 'uniform' or 'gaussian', got '${String(kind)}'`);
  }
  const norms = new Float64Array(k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) norms[j] += full[i * d + j] * full[i * d + j];
  for (let j = 0; j < k; j++) norms[j] = Math.sqrt(norms[j]);
  const out = new Float32Array(d * k);
  for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) out[i * k + j] = full[i * d + j] / norms[j];
  return out;
}
