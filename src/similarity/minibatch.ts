import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { libraryLinalg } from '../linalg/select.js';
import { hsicTerms } from './linearCka.js';
import { scaledUnbiasedHsic, type Centring } from './moments.js';

/**
 * Minibatch linear CKA (Nguyen, Raghu & Kornblith 2021): over batches b,
 *   CKA = Σ_b HSIC_u(X_b, Y_b) / sqrt(Σ_b HSIC_u(X_b, X_b) · Σ_b HSIC_u(Y_b, Y_b)),
 * with HSIC_u the unbiased estimator of Song et al. (2012) (its 1/(n_b(n_b − 3)) factor
 * included, so batches of different sizes are each an unbiased estimate). Only sums of
 * three numbers are kept, so the data can stream through in batches that fit in memory.
 * With one batch this equals the debiased {@link linearCka}.
 */
export class MinibatchCka {
  private xy = 0;
  private xx = 0;
  private yy = 0;
  private count = 0;
  private widths: [number, number] | undefined;

  constructor(private readonly linalg?: Linalg, private readonly centring: Centring = 'auto') {}

  /** Number of batches added so far. */
  get batches(): number {
    return this.count;
  }

  /**
   * Adds one batch: x n_b×p and y n_b×q row-major Float32Array blocks of the same n_b ≥ 4
   * examples. p and q must stay the same across batches.
   */
  async update(x: FeatureBlock, y: FeatureBlock): Promise<void> {
    checkFeatureBlock(x, 'minibatch x');
    checkFeatureBlock(y, 'minibatch y');
    if (x.n < 4) throw new RangeError(`MinibatchCka: each batch needs at least 4 rows for the unbiased HSIC, got ${x.n}`);
    if (this.widths && (this.widths[0] !== x.d || this.widths[1] !== y.d)) {
      throw new RangeError(`MinibatchCka: batch widths ${x.d}, ${y.d} differ from the first batch's ${this.widths[0]}, ${this.widths[1]}`);
    }
    this.widths = [x.d, y.d];
    const t = await hsicTerms(x, y, this.linalg ?? await libraryLinalg(), this.centring);
    const scale = 1 / (t.n * (t.n - 3));
    this.xy += scale * scaledUnbiasedHsic(t.cross, t.rowDotXY, t.traceX, t.traceY, t.n);
    this.xx += scale * scaledUnbiasedHsic(t.selfX, t.rowDotXX, t.traceX, t.traceX, t.n);
    this.yy += scale * scaledUnbiasedHsic(t.selfY, t.rowDotYY, t.traceY, t.traceY, t.n);
    this.count++;
  }

  /** The minibatch CKA of the batches so far (NaN before the first batch). */
  value(): number {
    if (this.count === 0) return NaN;
    return this.xy / Math.sqrt(this.xx * this.yy);
  }
}

/** Options of {@link minibatchCka}. */
export interface MinibatchCkaOptions {
  /** Rows per batch (≥ 4); the rows are cut into ceil(n / batchSize) contiguous batches of near-equal size. */
  batchSize: number;
  linalg?: Linalg;
  /** See {@link Centring}; default `auto`. */
  centring?: Centring;
}

/**
 * Minibatch CKA of x (n×p) and y (n×q) held in memory, cut into contiguous batches of
 * near-equal size (no row is dropped). See {@link MinibatchCka} for the estimator.
 */
export async function minibatchCka(x: FeatureBlock, y: FeatureBlock, opts: MinibatchCkaOptions): Promise<number> {
  checkFeatureBlock(x, 'x');
  checkFeatureBlock(y, 'y');
  if (x.n !== y.n) throw new RangeError(`minibatchCka: x has ${x.n} rows but y has ${y.n}`);
  const { batchSize } = opts;
  if (!Number.isInteger(batchSize) || batchSize < 4) throw new RangeError(`minibatchCka: batchSize must be an integer ≥ 4, got ${batchSize}`);
  const batches = Math.max(1, Math.ceil(x.n / batchSize));
  if (Math.floor(x.n / batches) < 4) throw new RangeError(`minibatchCka: ${x.n} rows are too few for batches of at least 4`);
  const acc = new MinibatchCka(opts.linalg, opts.centring);
  for (let b = 0; b < batches; b++) {
    const start = Math.floor((b * x.n) / batches);
    const end = Math.floor(((b + 1) * x.n) / batches);
    await acc.update(rowSlice(x, start, end), rowSlice(y, start, end));
  }
  return acc.value();
}

/** Rows [start, end) of a block, sharing its buffer. */
export function rowSlice(x: FeatureBlock, start: number, end: number): FeatureBlock {
  return { data: x.data.subarray(start * x.d, end * x.d), n: end - start, d: x.d };
}
