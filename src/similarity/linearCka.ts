import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { referenceLinalg } from '../linalg/reference.js';
import { libraryLinalg } from '../linalg/select.js';
import { centredCrossProduct, centredRowSquares, columnMeans, dot, resolveCentring, scaledUnbiasedHsic, shiftedCopy, squaredNorm, sum, type Centring } from './moments.js';

/** `linear`: Kornblith et al. (2019) biased HSIC form; `debiased`: U-centred (unbiased) HSIC. */
export type CkaVariant = 'linear' | 'debiased';

/**
 * Everything both CKA variants need about a pair (X, Y), in feature space (p×p, q×q and
 * p×q products; never n×n): with column-centred X (n×p), Y (n×q),
 * `cross` = ‖YᵀX‖²_F, `selfX` = ‖XᵀX‖²_F, `selfY` = ‖YᵀY‖²_F, the per-row squared norms'
 * dot products and sums (for the debiased variant), and n.
 */
export interface HsicTerms {
  n: number;
  cross: number;
  selfX: number;
  selfY: number;
  /** rxᵀry, rxᵀrx, ryᵀry with r the centred per-row squared norms. */
  rowDotXY: number;
  rowDotXX: number;
  rowDotYY: number;
  /** Σ rx = ‖X_c‖²_F and Σ ry. */
  traceX: number;
  traceY: number;
}

/**
 * Computes {@link HsicTerms} for X (n×p) and Y (n×q) with three products from `linalg`
 * (XᵀX, YᵀY, XᵀY), centred as `centring` says (see {@link Centring}; default `auto`).
 * Per-row squared norms are always taken from the data in float64. Passing the same object
 * as `x` and `y` costs one Gram.
 */
export async function hsicTerms(x: FeatureBlock, y: FeatureBlock, linalg?: Linalg, centring: Centring = 'auto'): Promise<HsicTerms> {
  linalg ??= await libraryLinalg();
  checkFeatureBlock(x, 'x');
  checkFeatureBlock(y, 'y');
  if (x.n !== y.n) throw new RangeError(`CKA: x has ${x.n} rows but y has ${y.n}; both must describe the same examples`);
  const same = x === y;
  const meanX = columnMeans(x);
  const meanY = same ? meanX : columnMeans(y);
  let px = { block: x, mean: meanX };
  let py = { block: y, mean: meanY };
  if (resolveCentring(centring, linalg) === 'shift') {
    px = shiftedCopy(x, meanX);
    py = same ? px : shiftedCopy(y, meanY);
  }
  const gx = await centredCrossProduct(px.block, px.block, px.mean, px.mean, linalg);
  const selfX = squaredNorm(gx);
  const selfY = same ? selfX : squaredNorm(await centredCrossProduct(py.block, py.block, py.mean, py.mean, linalg));
  const cross = same ? selfX : squaredNorm(await centredCrossProduct(px.block, py.block, px.mean, py.mean, linalg));
  const rx = centredRowSquares(x, meanX);
  const ry = same ? rx : centredRowSquares(y, meanY);
  const rowDotXX = dot(rx, rx);
  return {
    n: x.n,
    cross,
    selfX,
    selfY,
    rowDotXY: same ? rowDotXX : dot(rx, ry),
    rowDotXX,
    rowDotYY: same ? rowDotXX : dot(ry, ry),
    traceX: sum(rx),
    traceY: same ? sum(rx) : sum(ry),
  };
}

/** CKA from {@link HsicTerms}: biased ratio, or the ratio of n(n−3)-scaled unbiased HSICs. */
export function ckaFromTerms(t: HsicTerms, variant: CkaVariant = 'linear'): number {
  if (variant === 'linear') return t.cross / Math.sqrt(t.selfX * t.selfY);
  if (variant !== 'debiased') throw new RangeError(`CKA variant must be 'linear' or 'debiased', got '${String(variant)}'`);
  const xy = scaledUnbiasedHsic(t.cross, t.rowDotXY, t.traceX, t.traceY, t.n);
  const xx = scaledUnbiasedHsic(t.selfX, t.rowDotXX, t.traceX, t.traceX, t.n);
  const yy = scaledUnbiasedHsic(t.selfY, t.rowDotYY, t.traceY, t.traceY, t.n);
  return xy / Math.sqrt(xx * yy);
}

/** Options of {@link linearCka}. */
export interface LinearCkaOptions {
  /** Use the debiased (U-centred HSIC) estimator; default false (Kornblith 2019 biased form). */
  debiased?: boolean;
  /** Products backend; default {@link libraryLinalg} (the fastest float64 one). */
  linalg?: Linalg;
  /** How products are centred (see {@link Centring}); default `auto`. */
  centring?: Centring;
}

/**
 * Linear CKA between two representations of the same n examples: x n×p and y n×q
 * row-major Float32Array blocks. Biased form (Kornblith et al. 2019): with column-centred
 * X, Y, CKA = ‖YᵀX‖²_F / (‖XᵀX‖_F·‖YᵀY‖_F). Debiased form: each HSIC replaced by the
 * unbiased estimator of Song et al. (2012) (Nguyen et al. 2021's debiased CKA); needs
 * n ≥ 4 and may be NaN when a representation's unbiased HSIC is not positive.
 * Computed in feature space, so n may be large; cost O(n·(p+q)²).
 * @returns a number in [0, 1] for the biased form (dimensionless).
 * @example
 * ```ts
 * const cka = await linearCka(await applySelection(test.features, selection), test.features); // in [0, 1]
 * ```
 */
export async function linearCka(x: FeatureBlock, y: FeatureBlock, opts: LinearCkaOptions = {}): Promise<number> {
  const terms = await hsicTerms(x, y, opts.linalg ?? await libraryLinalg(), opts.centring);
  return ckaFromTerms(terms, opts.debiased ? 'debiased' : 'linear');
}
