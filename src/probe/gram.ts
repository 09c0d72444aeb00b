import { gemm64 } from '../linalg/dense64.js';
import { centredGramInBackend, subtractScaledOuter } from '../linalg/centred.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import { countClasses } from './features.js';
import { firstNonFinite } from '../cache/validate.js';

/**
 * Second-moment statistics of one training block, enough to fit ridge on any subset of its
 * columns (or any projection of them) and to precondition softmax without touching the rows
 * again. All sums are over the n training rows, centred at the training means.
 */
export interface CentredMoments {
  n: number;
  /** Number of columns the statistics describe. */
  d: number;
  classes: number;
  /** Column means, length d. */
  mean: Float64Array;
  /** Σᵢ (xᵢ − μ)(xᵢ − μ)ᵀ, d×d row-major. */
  gram: Float64Array;
  /** Σᵢ (xᵢ − μ)(yᵢ − ȳ)ᵀ with yᵢ one-hot, d×classes row-major. */
  xty: Float64Array;
  /** Class frequencies ȳ (mean of the one-hot targets), length classes. */
  classMean: Float64Array;
}

/**
 * Computes {@link CentredMoments} of an n×d block with one Gram plus one pass for means and class
 * sums: the rows shifted by their means inside the product where the backend can
 * (`Linalg.gramShifted`), else XᵀX − n·μμᵀ in float64 afterwards.
 * `classes` defaults to max(label) + 1.
 */
export async function centredMoments(
  train: FeatureBlock,
  labels: Int32Array,
  opts: { linalg?: Linalg; classes?: number } = {},
): Promise<CentredMoments> {
  checkFeatureBlock(train, 'train features');
  const { data, n, d } = train;
  if (labels.length !== n) throw new RangeError(`centredMoments: ${labels.length} labels for ${n} training rows`);
  if (n < 2) throw new RangeError(`centredMoments: need at least 2 training rows, got ${n}`);
  const classes = opts.classes ?? countClasses(labels, 'train labels');
  const linalg = opts.linalg ?? await libraryLinalg();
  const mean = new Float64Array(d);
  const classSum = new Float64Array(d * classes);
  const classCount = new Float64Array(classes);
  for (let i = 0; i < n; i++) {
    const y = labels[i];
    if (!(y >= 0 && y < classes)) throw new RangeError(`train labels: label ${y} at row ${i} outside 0..${classes - 1}`);
    classCount[y]++;
    const o = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[o + j];
      mean[j] += v;
      classSum[j * classes + y] += v;
    }
  }
  for (let j = 0; j < d; j++) mean[j] /= n;
  // A NaN or ±Infinity anywhere makes its column's sum non-finite: refuse it here, where it is
  // found for free, rather than let it turn every head fitted from these moments into NaN.
  for (let j = 0; j < d; j++) if (!Number.isFinite(mean[j])) throw nonFiniteFeature(train, 'train features');
  const classMean = classCount.map((c) => c / n);
  // Shifting inside the float32 product keeps the digits that XᵀX − n·μμᵀ cancels away when the
  // means are large beside the spread; backends that cannot shift take the second route.
  let gram = await centredGramInBackend(linalg, data, n, d, mean);
  if (!gram) {
    gram = await linalg.gram(data, n, d);
    subtractScaledOuter(gram, d, n, mean);
  }
  const xty = new Float64Array(d * classes);
  for (let j = 0; j < d; j++) {
    for (let c = 0; c < classes; c++) xty[j * classes + c] = classSum[j * classes + c] - n * mean[j] * classMean[c];
  }
  return { n, d, classes, mean, gram, xty, classMean };
}

/** A feature block holds NaN or ±Infinity: `row` and `column` name its first such value. */
export class NonFiniteFeatureError extends RangeError {
  constructor(readonly what: string, readonly row: number, readonly column: number, readonly value: number, columnWord = 'neuron') {
    super(`${what}: row ${row}, ${columnWord} ${column}: ${value} is not finite; probes need finite features (feature caches are checked when written)`);
  }
}

/** The {@link NonFiniteFeatureError} of a block known to hold a non-finite value. */
export function nonFiniteFeature(block: FeatureBlock, what: string): NonFiniteFeatureError {
  const at = Math.max(0, firstNonFinite(block.data));
  return new NonFiniteFeatureError(what, Math.floor(at / block.d), at % block.d, block.data[at]);
}

/** The moments restricted to columns `indices` (in that order): gathers blocks, no data pass. */
export function subsetMoments(m: CentredMoments, indices: Int32Array): CentredMoments {
  const k = indices.length;
  const { d, classes } = m;
  const gram = new Float64Array(k * k);
  const xty = new Float64Array(k * classes);
  const mean = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    const ia = indices[a];
    if (!(ia >= 0 && ia < d)) throw new RangeError(`subsetMoments: index ${ia} outside 0..${d - 1}`);
    mean[a] = m.mean[ia];
    const row = ia * d;
    for (let b = 0; b < k; b++) gram[a * k + b] = m.gram[row + indices[b]];
    for (let c = 0; c < classes; c++) xty[a * classes + c] = m.xty[ia * classes + c];
  }
  return { n: m.n, d: k, classes, mean, gram, xty, classMean: m.classMean };
}

/**
 * The moments of the projected features X·P for a d×k float32 projection P: Gram PᵀGP, PᵀXᵀY,
 * mean Pᵀμ. G·P runs on `linalg.matmul` in float32 (relative error ~1e-7, ample for probes),
 * Pᵀ(GP) on `linalg.crossProduct`.
 */
export async function projectedMoments(m: CentredMoments, projection: Float32Array, k: number, linalg?: Linalg): Promise<CentredMoments> {
  linalg ??= await libraryLinalg();
  const { d, classes } = m;
  if (projection.length !== d * k) throw new RangeError(`projectedMoments: projection has ${projection.length} values, expected ${d}×${k}`);
  const gp = await linalg.matmul(Float32Array.from(m.gram), projection, d, d, k);
  const gram = await linalg.crossProduct(projection, gp, d, k, k);
  // Symmetrise: float32 products leave tiny asymmetries that Cholesky would otherwise see.
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < a; b++) {
      const s = 0.5 * (gram[a * k + b] + gram[b * k + a]);
      gram[a * k + b] = s;
      gram[b * k + a] = s;
    }
  }
  // Pᵀ·[XᵀY | μ] in one float64 product (k×d · d×(C+1)): the projected class sums and mean.
  const C1 = classes + 1;
  const rhs = new Float64Array(d * C1);
  for (let j = 0; j < d; j++) {
    for (let c = 0; c < classes; c++) rhs[j * C1 + c] = m.xty[j * classes + c];
    rhs[j * C1 + classes] = m.mean[j];
  }
  const both = await gemm64(linalg, Float64Array.from(projection), rhs, k, d, C1, { transposeA: true });
  const xty = new Float64Array(k * classes);
  const mean = new Float64Array(k);
  for (let a = 0; a < k; a++) {
    for (let c = 0; c < classes; c++) xty[a * classes + c] = both[a * C1 + c];
    mean[a] = both[a * C1 + classes];
  }
  return { n: m.n, d: k, classes, mean, gram, xty, classMean: m.classMean };
}

/**
 * Per-column scale 1/σ from the diagonal of a centred Gram (σ² = G_jj/n, population variance);
 * 1 for constant columns. Used for optional standardisation with training statistics only.
 */
export function inverseStdFromGram(m: CentredMoments): Float64Array {
  const out = new Float64Array(m.d);
  for (let j = 0; j < m.d; j++) {
    const v = m.gram[j * m.d + j] / m.n;
    out[j] = v > 0 ? 1 / Math.sqrt(v) : 1;
  }
  return out;
}
