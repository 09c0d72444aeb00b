import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { kFromFraction, randomNeuronIndices, sortedCopy, type NeuronRng } from './randomNeurons.js';
import { computePcaBasis, computePcaLowrankBasis, pcaProjectionMatrix, type PcaBasis } from './pca.js';
import { randomProjectionMatrix } from './projection.js';

/** Ways of choosing k of a layer's d neurons (or k directions). */
export type SelectionMethod = 'random' | 'first' | 'pca' | 'pca-bottom' | 'pca-lowrank' | 'pca-lowrank-bottom' | 'randproj' | 'randproj-gaussian';

/**
 * Every selection method, for CLI choices and validation.
 * @example
 * ```ts
 * SELECTION_METHODS.includes('pca'); // true
 * ```
 */
export const SELECTION_METHODS: readonly SelectionMethod[] = ['random', 'first', 'pca', 'pca-bottom', 'pca-lowrank', 'pca-lowrank-bottom', 'randproj', 'randproj-gaussian'];

/** A chosen subset of neurons (`indices`) or a linear map to k directions (`projection`). */
export interface Selection {
  method: SelectionMethod;
  /** Neurons (or directions) kept. */
  k: number;
  /** Layer width. */
  d: number;
  /** k / d when k was given, else the fraction asked for. */
  fraction: number;
  seed?: number;
  rng?: NeuronRng;
  /** Neuron indices in pick order (random: the permutation's order; first: 0..k-1). */
  indices?: Int32Array;
  /** The same indices ascending. */
  sortedIndices?: Int32Array;
  /**
   * For pca / pca-bottom / randproj*: features are mapped to x·matrix (or (x − mean)·matrix
   * when `mean` is set). `matrix` is d×k row-major Float32Array.
   */
  projection?: { matrix: Float32Array; mean?: Float32Array };
}

/** Options of {@link selectNeurons}. */
export interface SelectOptions {
  /** Layer width. */
  d: number;
  /** Fraction of the layer in (0, 1]: k = floor(f·d), at least 1. Give this or `k`. */
  fraction?: number;
  /** Absolute count 1..d. Give this or `fraction`. */
  k?: number;
  /** Required for `random`, `randproj`, `randproj-gaussian`, `pca-lowrank`, `pca-lowrank-bottom`. */
  seed?: number;
  /** Default `random`. */
  method?: SelectionMethod;
  /** Generator for `random` (and the uniform `randproj`): `ours` (default) or `torch`. */
  rng?: NeuronRng;
  /** Training features (n×d) for the PCA methods. */
  train?: FeatureBlock;
  /** Precomputed basis for the PCA methods (skips the fit; `train` then not needed). */
  basis?: PcaBasis;
  /** `pca-lowrank*` only: torch.pca_lowrank's q (default min(n, d)) and niter (default 2). */
  lowrank?: { q?: number; niter?: number };
  /**
   * PCA only: subtract the training mean before projecting. Default false, as the
   * original code (the probe's bias absorbs the mean).
   */
  centre?: boolean;
  /** Products backend for the PCA covariance. */
  linalg?: Linalg;
}

function resolveCount(opts: SelectOptions): { k: number; fraction: number } {
  const { d } = opts;
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`selectNeurons: d must be a positive integer, got ${d}`);
  if ((opts.fraction === undefined) === (opts.k === undefined)) {
    throw new RangeError('selectNeurons: give exactly one of fraction or k');
  }
  if (opts.k !== undefined) {
    if (!Number.isInteger(opts.k) || opts.k < 1 || opts.k > d) throw new RangeError(`selectNeurons: k must be an integer in [1, ${d}], got ${opts.k}`);
    return { k: opts.k, fraction: opts.k / d };
  }
  return { k: kFromFraction(opts.fraction!, d), fraction: opts.fraction! };
}

function requireSeed(opts: SelectOptions, method: SelectionMethod): number {
  if (opts.seed === undefined) throw new RangeError(`selectNeurons: method '${method}' is random and needs a seed`);
  if (!Number.isSafeInteger(opts.seed)) throw new RangeError(`selectNeurons: seed must be an integer, got ${opts.seed}`);
  return opts.seed;
}

/**
 * Chooses k of d neurons (random, first) or k directions (pca, pca-bottom, randproj,
 * randproj-gaussian) — see {@link SelectionMethod}. PCA fits on `train` (n×d float32,
 * row-major) unless `basis` is given; fits are memoised per training array.
 * @example
 * ```ts
 * const selection = await selectNeurons({ d: 1792, fraction: 0.2, seed: 1 });
 * selection.indices; // 358 neuron indices
 * ```
 */
export async function selectNeurons(opts: SelectOptions): Promise<Selection> {
  const method = opts.method ?? 'random';
  if (!SELECTION_METHODS.includes(method)) throw new RangeError(`selectNeurons: method must be one of ${SELECTION_METHODS.join(', ')}, got '${String(method)}'`);
  const { k, fraction } = resolveCount(opts);
  const { d } = opts;
  const rng = opts.rng ?? 'ours';
  if (rng !== 'ours' && rng !== 'torch') throw new RangeError(`selectNeurons: rng must be 'ours' or 'torch', got '${String(rng)}'`);
  switch (method) {
    case 'random': {
      const seed = requireSeed(opts, method);
      const indices = randomNeuronIndices(d, k, seed, rng);
      return { method, k, d, fraction, seed, rng, indices, sortedIndices: sortedCopy(indices) };
    }
    case 'first': {
      const indices = Int32Array.from({ length: k }, (_, i) => i);
      return { method, k, d, fraction, indices, sortedIndices: indices.slice() };
    }
    case 'randproj':
    case 'randproj-gaussian': {
      const seed = requireSeed(opts, method);
      const matrix = randomProjectionMatrix(d, k, seed, method === 'randproj' ? 'uniform' : 'gaussian', rng);
      return { method, k, d, fraction, seed, rng, projection: { matrix } };
    }
    case 'pca':
    case 'pca-bottom':
    case 'pca-lowrank':
    case 'pca-lowrank-bottom': {
      const lowrank = method === 'pca-lowrank' || method === 'pca-lowrank-bottom';
      const seed = lowrank ? requireSeed(opts, method) : undefined;
      let basis = opts.basis;
      if (!basis) {
        if (!opts.train) throw new RangeError(`selectNeurons: method '${method}' needs training features (train) or a basis`);
        if (opts.train.d !== d) throw new RangeError(`selectNeurons: train has ${opts.train.d} columns but d=${d}`);
        const linalg = opts.linalg ?? await libraryLinalg();
        basis = lowrank
          ? await computePcaLowrankBasis(opts.train, { seed: seed!, q: opts.lowrank?.q, niter: opts.lowrank?.niter, linalg })
          : await computePcaBasis(opts.train, linalg);
      }
      if (basis.d !== d) throw new RangeError(`selectNeurons: PCA basis has width ${basis.d} but d=${d}`);
      const matrix = pcaProjectionMatrix(basis, k, method === 'pca' || method === 'pca-lowrank' ? 'top' : 'bottom');
      const projection = opts.centre ? { matrix, mean: Float32Array.from(basis.mean) } : { matrix };
      return { method, k, d, fraction, ...(lowrank ? { seed } : {}), projection };
    }
  }
}

/**
 * Applies a selection to features (n×d row-major Float32Array): gathers the chosen columns
 * in `indices` order, or projects to x·P (minus mean·P when the selection centres) via
 * `linalg.matmul`. Returns an n×k block.
 * @example
 * ```ts
 * const trainSub = await applySelection(train.features, selection); // n×k
 * ```
 */
export async function applySelection(features: FeatureBlock, sel: Selection, linalg?: Linalg): Promise<FeatureBlock> {
  linalg ??= await libraryLinalg();
  checkFeatureBlock(features, 'features');
  const { n, d } = features;
  if (d !== sel.d) throw new RangeError(`applySelection: features have ${d} columns but the selection is for d=${sel.d}`);
  const k = sel.k;
  if (sel.indices) {
    const idx = sel.indices;
    if (idx.length !== k) throw new RangeError(`applySelection: selection has ${idx.length} indices but k=${k}`);
    const src = features.data;
    const out = new Float32Array(n * k);
    for (let i = 0; i < n; i++) {
      const so = i * d;
      const oo = i * k;
      for (let j = 0; j < k; j++) out[oo + j] = src[so + idx[j]];
    }
    return { data: out, n, d: k };
  }
  if (!sel.projection) throw new RangeError('applySelection: selection has neither indices nor projection');
  const { matrix, mean } = sel.projection;
  if (matrix.length !== d * k) throw new RangeError(`applySelection: projection has ${matrix.length} values, expected d×k = ${d}×${k}`);
  const out = await linalg.matmul(features.data, matrix, n, d, k);
  if (mean) {
    // (x − m)·P = x·P − m·P; subtracting after the product avoids copying the features.
    const shift = new Float64Array(k);
    for (let a = 0; a < d; a++) for (let j = 0; j < k; j++) shift[j] += mean[a] * matrix[a * k + j];
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) out[i * k + j] -= shift[j];
  }
  return { data: out, n, d: k };
}
