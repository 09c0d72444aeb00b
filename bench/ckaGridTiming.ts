import { writeFileAtomic } from '../src/util/atomicWrite.js';
import { join } from 'node:path';
import type * as aq from 'arquero';
import type { FeatureBlock } from '../src/types.js';
import type { Linalg } from '../src/linalg/types.js';
import { referenceLinalg } from '../src/linalg/reference.js';
import { synthesizeFeatures } from '../src/cache/synth.js';
import { writeNpy } from '../src/cache/npy.js';
import { randomNeuronIndices, type NeuronRng } from '../src/select/randomNeurons.js';
import type { CkaVariant } from '../src/similarity/linearCka.js';
import { SubsetCka } from '../src/similarity/subsetCka.js';
import { ckaPartVsWhole, ckaSubsetVsSubset, PAPER_CKA_FRACTIONS, PAPER_CKA_SEEDS } from '../src/similarity/analyses.js';

/** Options of {@link timeCkaGrid}. */
export interface CkaGridTimingOptions {
  /** Features to time on (n×d); default a synthetic non-negative layer of `n`×`d`. */
  features?: FeatureBlock;
  /** Synthetic rows; default 10,000 (the paper's test-set size). */
  n?: number;
  /** Synthetic width; default 2048 (ResNet50). */
  d?: number;
  /** Seed of the synthetic features; default 0. */
  seed?: number;
  /** Default: the paper's Figure 1 grid {@link PAPER_CKA_FRACTIONS}. */
  fractions?: readonly number[];
  /** Default 1..5 (5 part-vs-whole subsets, 10 pairs). */
  seeds?: readonly number[];
  variant?: CkaVariant;
  rng?: NeuronRng;
  linalg?: Linalg;
}

/** Seconds spent per stage of {@link timeCkaGrid} (wall clock). */
export interface CkaGridTiming {
  n: number;
  d: number;
  variant: CkaVariant;
  linalg: string;
  /** Part-vs-whole cells plus subset-vs-subset cells. */
  cells: number;
  /** Gram (and squares Gram for debiased) build. */
  buildSeconds: number;
  partWholeSeconds: number;
  subsetSubsetSeconds: number;
  /** Both analyses after the build. */
  gridSeconds: number;
}

/**
 * Times the CKA grid of the paper (part vs whole and subset vs subset over every fraction)
 * from one Gram build, on given or synthetic features. For benchmarks (bench/analysis.ts)
 * and the README's numbers; returns the tables so results can be checked against numpy
 * with {@link writeCkaGridCheck}.
 */
export async function timeCkaGrid(opts: CkaGridTimingOptions = {}): Promise<{
  timing: CkaGridTiming;
  partWhole: aq.ColumnTable;
  subsetSubset: aq.ColumnTable;
  features: FeatureBlock;
}> {
  const features = opts.features ?? synthesizeFeatures({ n: opts.n ?? 10_000, d: opts.d ?? 2048, classes: 10, seed: opts.seed ?? 0, nonNegative: true }).features;
  const linalg = opts.linalg ?? referenceLinalg;
  const variant = opts.variant ?? 'linear';
  const fractions = opts.fractions ?? PAPER_CKA_FRACTIONS;
  const seeds = opts.seeds ?? PAPER_CKA_SEEDS;
  const rng = opts.rng ?? 'ours';
  const t0 = performance.now();
  const sc = await SubsetCka.fromFeatures(features, { linalg, debiased: variant === 'debiased' });
  const t1 = performance.now();
  const partWhole = await ckaPartVsWhole(sc, { fractions, seeds, variant, rng });
  const t2 = performance.now();
  const subsetSubset = await ckaSubsetVsSubset(sc, { fractions, seeds, variant, rng });
  const t3 = performance.now();
  return {
    timing: {
      n: features.n,
      d: features.d,
      variant,
      linalg: linalg.name,
      cells: partWhole.numRows() + subsetSubset.numRows(),
      buildSeconds: (t1 - t0) / 1000,
      partWholeSeconds: (t2 - t1) / 1000,
      subsetSubsetSeconds: (t3 - t2) / 1000,
      gridSeconds: (t3 - t1) / 1000,
    },
    partWhole,
    subsetSubset,
    features,
  };
}

/**
 * Writes what test/fixtures/similarity/check_cka_grid.py needs to recompute every cell
 * directly in numpy: `features.npy` (n×d float32) and `cells.json` (per cell: mode,
 * variant, fraction, k, seeds, neuron indices, our cka). Files are written under `dir`
 * (created if needed), each through a temporary name and a rename.
 */
export async function writeCkaGridCheck(dir: string, features: FeatureBlock, tables: aq.ColumnTable[]): Promise<void> {
  // writeNpy and writeFileAtomic both write through the package's atomic writer (creating `dir`).
  await writeNpy(join(dir, 'features.npy'), features.data, [features.n, features.d]);
  const cells = tables.flatMap((t) =>
    (t.objects() as Record<string, any>[]).map((r) => ({
      mode: r.mode,
      variant: r.variant,
      fraction: r.fraction,
      k: r.k,
      seedA: r.seedA,
      seedB: r.seedB,
      indicesA: Array.from(randomNeuronIndices(features.d, r.k, r.seedA, r.rng as NeuronRng)),
      indicesB: r.seedB === null ? null : Array.from(randomNeuronIndices(features.d, r.k, r.seedB, r.rng as NeuronRng)),
      cka: r.cka,
    })),
  );
  const json = join(dir, 'cells.json');
  await writeFileAtomic(json, JSON.stringify({ n: features.n, d: features.d, cells }));
}
