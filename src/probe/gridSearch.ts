import { PROBE_DEFAULTS } from './defaults.js';

/** Outcome of {@link coarseToFineChoice}. */
export interface GridSearch {
  /** Grid indices evaluated, ascending (descending λ), and their scores. */
  indices: number[];
  scores: number[];
  /** The chosen grid index: the smoothed maximum (as {@link chooseOnCurve} would pick it on a unimodal curve). */
  best: number;
}

/**
 * Coarse-to-fine search for the maximum of a validation curve on a grid of `size` points (index 0
 * the largest λ, neighbours half a decade apart), scored by `score(i)` one point at a time, for
 * when each point costs a factorisation: the grid is first scored every `stride` points (and at its
 * last point); then, halving the step down to 1, the two points one step either side of the best
 * scored point so far (ties: the smaller index, the larger λ); finally it climbs the curve averaged
 * over each point and its `radius` neighbours (fewer at the ends, as {@link chooseOnCurve}), scoring
 * whatever neighbours it needs, until the best average has both neighbours' averages computed and
 * no larger. On a curve whose averaged form has one peak this picks {@link chooseOnCurve}'s index
 * of the full curve; on a noisy plateau, a point of the plateau within noise of it.
 * `stride` must be a power of two ≥ 1 (1 scores the whole grid).
 */
export async function coarseToFineChoice(
  size: number, score: (i: number) => Promise<number>,
  opts: { stride?: number; radius?: number } = {},
): Promise<GridSearch> {
  const stride = opts.stride ?? PROBE_DEFAULTS.ridgeSearch.stride;
  const radius = opts.radius ?? PROBE_DEFAULTS.smoothing;
  if (!(Number.isInteger(size) && size >= 1)) throw new RangeError(`grid search: size must be a positive integer, got ${size}`);
  if (!(Number.isInteger(stride) && stride >= 1 && (stride & (stride - 1)) === 0)) throw new RangeError(`grid search: stride must be a power of two ≥ 1, got ${stride}`);
  if (!(Number.isInteger(radius) && radius >= 0)) throw new RangeError(`grid search: radius must be an integer ≥ 0, got ${radius}`);
  const known = new Map<number, number>();
  const at = async (i: number): Promise<void> => {
    if (i < 0 || i >= size || known.has(i)) return;
    const v = await score(i);
    if (!Number.isFinite(v)) throw new RangeError(`grid search: score of grid point ${i} is ${v}`);
    known.set(i, v);
  };
  const bestKnown = (): number => {
    let best = -1;
    for (const i of [...known.keys()].sort((a, b) => a - b)) if (best < 0 || known.get(i)! > known.get(best)!) best = i;
    return best;
  };
  for (let i = 0; i < size; i += stride) await at(i);
  await at(size - 1);
  for (let step = stride >> 1; step >= 1; step >>= 1) {
    const c = bestKnown();
    await at(c - step);
    await at(c + step);
  }
  // Hill-climb the averaged curve: avg(i) needs every point within radius of i.
  const window = (i: number): number[] => {
    const out: number[] = [];
    for (let j = Math.max(0, i - radius); j <= Math.min(size - 1, i + radius); j++) out.push(j);
    return out;
  };
  const avg = async (i: number): Promise<number> => {
    const w = window(i);
    for (const j of w) await at(j);
    return w.reduce((s, j) => s + known.get(j)!, 0) / w.length;
  };
  let c = bestKnown();
  let value = await avg(c);
  // Same comparison as chooseOnCurve: a point beats a larger-λ neighbour only by more than 1e-12.
  for (;;) {
    if (c > 0) {
      const left = await avg(c - 1);
      if (left >= value - 1e-12) { c -= 1; value = left; continue; }
    }
    if (c < size - 1) {
      const right = await avg(c + 1);
      if (right > value + 1e-12) { c += 1; value = right; continue; }
    }
    break;
  }
  const indices = [...known.keys()].sort((a, b) => a - b);
  return { indices, scores: indices.map((i) => known.get(i)!), best: c };
}
