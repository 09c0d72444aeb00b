import type { FeatureBlock } from '../types.js';
import { Progress, type ProgressSink } from '../util/progress.js';
import type { CacheMeta } from './meta.js';
import { SeededRng } from '../util/random.js';
import { defaultBatchRows, FeatureCacheWriter, type FeatureCacheBatch } from './writer.js';

/** Parameters of the synthetic feature generator. */
export interface SynthOptions {
  /** Rows (examples). */
  n: number;
  /** Neurons per row. */
  d: number;
  /** Number of classes (labels 0..classes-1, balanced). */
  classes: number;
  /** Seed of the generator (any integer). */
  seed: number;
  /** Dimension R of the latent space holding the class structure (default min(d, 16)). */
  rank?: number;
  /** Standard deviation of the isotropic per-neuron noise (default 1). */
  noise?: number;
  /** Standard deviation of each latent class-mean coordinate (default 1; within-class latent spread is 1). */
  separation?: number;
  /** Clamp at 0 like a post-ReLU layer (default false). */
  nonNegative?: boolean;
}

/** {@link SynthOptions} with defaults filled in (what the metadata records). */
export type ResolvedSynthOptions = Required<SynthOptions>;

/** Fills defaults and checks ranges; throws RangeError naming the parameter. */
export function resolveSynthOptions(o: SynthOptions): ResolvedSynthOptions {
  const r: ResolvedSynthOptions = {
    n: o.n,
    d: o.d,
    classes: o.classes,
    seed: o.seed,
    rank: o.rank ?? Math.min(o.d, 16),
    noise: o.noise ?? 1,
    separation: o.separation ?? 1,
    nonNegative: o.nonNegative ?? false,
  };
  const int = (k: keyof SynthOptions, min: number) => {
    const v = r[k] as number;
    if (!Number.isInteger(v) || v < min) throw new RangeError(`synth: ${k} must be an integer >= ${min}, got ${v}`);
  };
  int('n', 0);
  int('d', 1);
  int('classes', 1);
  int('seed', -(2 ** 53));
  int('rank', 1);
  if (r.rank > r.d) throw new RangeError(`synth: rank must be <= d (${r.d}), got ${r.rank}`);
  if (r.n * r.d > 2 ** 31) throw new RangeError(`synth: n×d = ${r.n * r.d} exceeds 2^31 values`);
  for (const k of ['noise', 'separation'] as const) {
    if (!(Number.isFinite(r[k]) && r[k] >= 0)) throw new RangeError(`synth: ${k} must be a finite number >= 0, got ${r[k]}`);
  }
  return r;
}

/**
 * The generator's state after its fixed set-up draws; rows are then produced in order, one
 * row's draws after another's, so the output does not depend on how rows are batched.
 *
 * Model (per row i with label y): x = Wᵀ(μ_y + ε) + noise·g, then max(0, ·) if nonNegative,
 * where W is R×d with N(0, 1/R) entries (a dense mix, so every neuron sees every latent
 * direction and class information is spread diffusely over all d neurons), μ_c ~ N(0,
 * separation² I_R), ε ~ N(0, I_R), g ~ N(0, I_d). Draw order from one {@link SeededRng}(seed):
 * W row by row, μ class by class, the label shuffle, then per row ε followed by g.
 */
class SynthStream {
  readonly labels: Int32Array;
  private readonly mixing: Float32Array;
  private readonly classMeans: Float32Array;
  private readonly rng: SeededRng;
  private readonly eps: Float64Array;
  private next = 0;

  constructor(readonly opts: ResolvedSynthOptions) {
    const { n, d, classes, rank, separation } = opts;
    this.rng = new SeededRng(opts.seed);
    this.mixing = new Float32Array(rank * d);
    const mixingScale = 1 / Math.sqrt(rank);
    for (let i = 0; i < this.mixing.length; i++) this.mixing[i] = mixingScale * this.rng.nextNormal();
    const latentMeans = new Float64Array(classes * rank);
    for (let i = 0; i < latentMeans.length; i++) latentMeans[i] = separation * this.rng.nextNormal();
    // Project class means once: classMeans[c] = Wᵀ μ_c (d values per class).
    this.classMeans = new Float32Array(classes * d);
    for (let c = 0; c < classes; c++) {
      const row = this.classMeans.subarray(c * d, (c + 1) * d);
      const acc = new Float64Array(d);
      for (let r = 0; r < rank; r++) {
        const m = latentMeans[c * rank + r];
        const w = this.mixing.subarray(r * d, (r + 1) * d);
        for (let j = 0; j < d; j++) acc[j] += m * w[j];
      }
      row.set(acc);
    }
    // Balanced labels (i mod classes), then a Fisher–Yates shuffle.
    this.labels = new Int32Array(n);
    for (let i = 0; i < n; i++) this.labels[i] = i % classes;
    for (let i = n - 1; i > 0; i--) {
      const j = this.rng.below(i + 1);
      const t = this.labels[i];
      this.labels[i] = this.labels[j];
      this.labels[j] = t;
    }
    this.eps = new Float64Array(rank);
  }

  /** Rows produced so far. */
  get produced(): number {
    return this.next;
  }

  /** Writes the next `rows` rows into `out` (rows×d, row-major). */
  fill(out: Float32Array, rows: number): void {
    const { d, rank, noise, nonNegative } = this.opts;
    const rng = this.rng;
    const eps = this.eps;
    for (let i = 0; i < rows; i++) {
      const x = out.subarray(i * d, (i + 1) * d);
      const y = this.labels[this.next + i];
      x.set(this.classMeans.subarray(y * d, (y + 1) * d));
      for (let r = 0; r < rank; r++) eps[r] = rng.nextNormal();
      for (let r = 0; r < rank; r++) {
        const e = eps[r];
        const w = this.mixing.subarray(r * d, (r + 1) * d);
        for (let j = 0; j < d; j++) x[j] += e * w[j];
      }
      if (noise > 0) for (let j = 0; j < d; j++) x[j] += noise * rng.nextNormal();
      if (nonNegative) for (let j = 0; j < d; j++) if (x[j] < 0) x[j] = 0;
    }
    this.next += rows;
  }
}

/**
 * Synthetic features with planted class structure spread diffusely over all d neurons (see
 * the model on {@link synthesizeFeatureBatches}), deterministic from `seed`. Builds the n×d
 * row-major matrix once, in place. Returns features, labels (balanced, shuffled) and the
 * options with defaults filled in.
 * @example
 * ```ts
 * const { features, labels } = synthesizeFeatures({ n: 8000, d: 512, classes: 10, seed: 11 });
 * ```
 */
export function synthesizeFeatures(opts: SynthOptions): { features: FeatureBlock; labels: Int32Array; options: ResolvedSynthOptions } {
  const o = resolveSynthOptions(opts);
  const stream = new SynthStream(o);
  const data = new Float32Array(o.n * o.d);
  stream.fill(data, o.n);
  return { features: { data, n: o.n, d: o.d }, labels: stream.labels, options: o };
}

/**
 * The same rows as {@link synthesizeFeatures}, produced `batchRows` at a time (fresh arrays
 * per batch, index = row number), for streaming to disk with memory bounded by one batch.
 *
 * Model, per row i with label y: x = Wᵀ(μ_y + ε) + noise·g (then max(0, ·) if nonNegative);
 * W: R×d with N(0, 1/R) entries, μ_c ~ N(0, separation²·I_R), ε ~ N(0, I_R), g ~ N(0, I_d).
 * Every neuron mixes all R latent directions, so any random subset of ≳R neurons recovers most
 * of the class information, as in real layers with diffused redundancy.
 */
export function* synthesizeFeatureBatches(opts: SynthOptions, batchRows?: number): Generator<FeatureCacheBatch> {
  const o = resolveSynthOptions(opts);
  const step = batchRows ?? defaultBatchRows(o.d);
  if (!Number.isInteger(step) || step < 1) throw new RangeError(`synth: batchRows must be a positive integer, got ${step}`);
  const stream = new SynthStream(o);
  for (let s = 0; s < o.n; s += step) {
    const rows = Math.min(step, o.n - s);
    const features = new Float32Array(rows * o.d);
    stream.fill(features, rows);
    const index = new Int32Array(rows);
    for (let i = 0; i < rows; i++) index[i] = s + i;
    yield { features, labels: stream.labels.slice(s, s + rows), index };
  }
}

/** The cache metadata a synthetic cache carries (model `synthetic`, parameters under extra.synth). */
export function syntheticCacheMeta(o: ResolvedSynthOptions): Partial<CacheMeta> {
  return {
    modelId: 'synthetic',
    weightsHash: '',
    layer: 'synthetic',
    datasetId: 'synthetic',
    split: `seed=${o.seed}`,
    classNames: Array.from({ length: o.classes }, (_, c) => `class ${c}`),
    preprocessing: {},
    backend: 'synthetic',
    extra: { synth: { ...o, generator: 'x = W^T(mu_y + eps) + noise*g; xoshiro128** (SplitMix64 seeding) + Box-Muller normals' } },
  };
}

/**
 * Streams a synthetic cache to `path` (atomic), `batchRows` rows per record batch, reporting
 * rows done on `progress`. Memory: one batch plus the R×d mixing matrix and class means.
 */
export async function writeSyntheticCache(path: string, opts: SynthOptions, options: { batchRows?: number; progress?: ProgressSink } = {}): Promise<CacheMeta> {
  const o = resolveSynthOptions(opts);
  const writer = await FeatureCacheWriter.open(path, syntheticCacheMeta(o), o.d);
  const progress = options.progress ? new Progress(`synth ${path}`, o.n, options.progress, 'rows') : undefined;
  try {
    for (const batch of synthesizeFeatureBatches(o, options.batchRows)) {
      await writer.append(batch);
      progress?.tick(batch.labels.length);
    }
    return await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
}
