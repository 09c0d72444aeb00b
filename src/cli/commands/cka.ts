import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { stderrProgress } from '../../util/progress.js';
import { readFeatureCache, withFeatureCache } from '../../cache/index.js';
import { cacheVerification } from '../../cache/reader.js';
import type { FeatureBlock } from '../../types.js';
import { defaultLinalg } from '../../linalg/index.js';
import { SubsetCka } from '../../similarity/subsetCka.js';
import { ckaPartVsWhole, ckaSubsetVsSubset, PAPER_CKA_FRACTIONS, PAPER_CKA_SEEDS } from '../../similarity/analyses.js';

async function readRows(path: string, rows: number | undefined): Promise<FeatureBlock> {
  if (rows === undefined) return (await readFeatureCache(path, { progress: stderrProgress() })).features;
  return withFeatureCache(path, async (cache) => {
    // The first rows only, but the whole file is verified: its checksums cover all rows.
    if (cacheVerification()) await cache.verify();
    const r = await cache.rows(0, Math.min(rows, cache.n));
    cache.checkValues(r.features.data, r.labels, 0, true);
    return r.features;
  });
}

export const command = defineCommand({
  name: 'cka',
  summary: 'linear CKA of random subsets: part vs whole, subset vs subset',
  usage: '--features FILE [--fractions LIST] [--seeds LIST] [--mode part-whole|subset-subset|both] [--variant linear|debiased] [--rows N] [--rng ours|torch] [--json]',
  description: [
    'Builds one centred Gram of the cached layer (optionally of its first N rows; the paper used',
    'the first 1000 test images) and computes linear CKA of random neuron subsets from its blocks:',
    'part-whole: each subset (one per seed) against the full layer; subset-subset: every pair of',
    'seeds (1..5 gives 10 pairs) at the same size. --variant debiased uses the unbiased HSIC.',
  ].join('\n'),
  options: {
    features: { type: 'string', required: true, meta: 'FILE', help: 'feature cache (.arrow)' },
    fractions: { type: 'numbers', default: [...PAPER_CKA_FRACTIONS], min: 0, max: 1, meta: 'LIST', help: 'comma-separated fractions of the layer' },
    seeds: { type: 'ints', default: [...PAPER_CKA_SEEDS], meta: 'LIST', help: 'comma-separated subset seeds' },
    mode: { type: 'string', choices: ['part-whole', 'subset-subset', 'both'], default: 'part-whole', help: 'which analysis' },
    variant: { type: 'string', choices: ['linear', 'debiased'], default: 'linear', help: 'biased linear CKA (paper) or debiased' },
    rows: { type: 'int', min: 4, meta: 'N', help: 'use only the first N rows (paper: 1000)' },
    rng: { type: 'string', choices: ['ours', 'torch'], default: 'ours', help: 'generator of the subsets (torch = the paper\'s torch.randperm subsets)' },
  },
  async run(args, io) {
    const o = args.options;
    const fractions: number[] = o.fractions;
    if (fractions.length === 0) throw new UsageError('--fractions: give at least one fraction');
    for (const f of fractions) if (!(f > 0)) throw new UsageError(`--fractions: each fraction must be in (0, 1], got ${f}`);
    const seeds: number[] = o.seeds;
    if (new Set(seeds).size !== seeds.length) throw new UsageError(`--seeds: must be distinct, got ${seeds.join(',')}`);
    if (o.mode !== 'part-whole' && seeds.length < 2) throw new UsageError('--seeds: subset-subset needs at least two seeds');
    const features = await readRows(o.features, o.rows);
    if (o.variant === 'debiased' && features.n < 4) throw new UsageError(`${o.features}: the debiased variant needs at least 4 rows, the cache has ${features.n}`);
    const linalg = await defaultLinalg();
    try {
      const t0 = performance.now();
      const sc = await SubsetCka.fromFeatures(features, { linalg, debiased: o.variant === 'debiased', progress: stderrProgress() });
      const t1 = performance.now();
      const common = { fractions, seeds, variant: o.variant, rng: o.rng, progress: stderrProgress() };
      const tables = [];
      if (o.mode !== 'subset-subset') tables.push(await ckaPartVsWhole(sc, common));
      if (o.mode !== 'part-whole') tables.push(await ckaSubsetVsSubset(sc, common));
      const t2 = performance.now();
      const entries = tables.flatMap((t) =>
        (t.objects() as Record<string, any>[]).map((r) => ({
          mode: r.mode as string,
          fraction: r.fraction as number,
          k: r.k as number,
          seeds: r.seedB === null ? [r.seedA as number] : [r.seedA as number, r.seedB as number],
          cka: r.cka as number,
        })),
      );
      io.print(`${o.features}: n=${sc.n} rows, d=${sc.d}, ${o.variant} CKA, subsets from rng '${o.rng}' (Gram ${((t1 - t0) / 1000).toFixed(2)} s with ${linalg.name}, grid ${((t2 - t1) / 1000).toFixed(3)} s)`);
      io.print('mode           fraction      k  seeds   cka');
      for (const e of entries) {
        io.print(`${e.mode.padEnd(14)} ${String(e.fraction).padStart(8)} ${String(e.k).padStart(6)}  ${e.seeds.join('-').padEnd(6)}  ${Number.isFinite(e.cka) ? e.cka.toFixed(6) : 'undefined: every neuron of the subset is constant on these rows (dead units)'}`);
      }
      return {
        features: o.features,
        n: sc.n,
        d: sc.d,
        rows: o.rows ?? null,
        mode: o.mode,
        variant: o.variant,
        rng: o.rng,
        entries,
        seconds: { gram: (t1 - t0) / 1000, grid: (t2 - t1) / 1000 },
        linalg: linalg.name,
      };
    } finally {
      await linalg.dispose?.();
    }
  },
});
