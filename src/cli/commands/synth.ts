import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { stderrProgress } from '../../util/progress.js';
import { resolveSynthOptions, writeSyntheticCache } from '../../cache/synth.js';

export const command = defineCommand({
  name: 'synth',
  summary: 'write a synthetic feature cache with planted diffuse class structure',
  usage: '--n N --d D --classes C --seed S --out FILE [--rank R --noise X --separation S --relu]',
  description:
    'Rows x = Wᵀ(μ_y + ε) + noise·g: class means μ_y in an R-dimensional latent space, mixed into all D ' +
    'neurons by a dense random matrix W, plus isotropic noise (optionally clamped at 0 like a post-ReLU ' +
    'layer). Deterministic from --seed; streamed to FILE in record batches (atomic write).',
  options: {
    n: { type: 'int', help: 'rows (examples)', required: true, min: 1, max: 2 ** 31 - 1, meta: 'N' },
    d: { type: 'int', help: 'neurons per row', required: true, min: 1, meta: 'D' },
    classes: { type: 'int', help: 'number of classes (balanced labels)', required: true, min: 2, meta: 'C' },
    seed: { type: 'int', help: 'generator seed', required: true, meta: 'S' },
    out: { type: 'string', help: 'output .arrow file', required: true, meta: 'FILE' },
    rank: { type: 'int', help: 'latent dimension R of the class structure (default min(D, 16))', min: 1, meta: 'R' },
    noise: { type: 'number', help: 'standard deviation of the per-neuron noise', default: 1, min: 0, meta: 'X' },
    separation: { type: 'number', help: 'standard deviation of latent class-mean coordinates', default: 1, min: 0, meta: 'S' },
    relu: { type: 'boolean', help: 'clamp features at 0 (like a post-ReLU layer)' },
    'batch-rows': { type: 'int', help: 'rows per record batch (default: about 16 MiB of features)', min: 1, meta: 'ROWS' },
  },
  run: async (args, io) => {
    const o = args.options;
    if (o.rank !== undefined && o.rank > o.d) throw new UsageError(`--rank: must be <= --d (${o.d}), got ${o.rank}`);
    if (o.n * o.d > 2 ** 31) throw new UsageError(`--n × --d = ${o.n * o.d} values is more than 2^31`);
    const opts = resolveSynthOptions({ n: o.n, d: o.d, classes: o.classes, seed: o.seed, rank: o.rank, noise: o.noise, separation: o.separation, nonNegative: o.relu });
    const t0 = performance.now();
    const big = o.n * o.d >= 1 << 22;
    const meta = await writeSyntheticCache(o.out, opts, { batchRows: o['batch-rows'], progress: big ? stderrProgress() : undefined });
    const seconds = (performance.now() - t0) / 1000;
    const gb = (meta.n * meta.d * 4) / 1e9;
    io.print(`wrote ${o.out}: n=${meta.n}, d=${meta.d}, ${opts.classes} classes, rank ${opts.rank}, noise ${opts.noise}, seed ${opts.seed} (${seconds.toFixed(2)} s, ${(gb / seconds).toFixed(3)} GB/s)`);
    return { file: o.out, n: meta.n, d: meta.d, options: opts, seconds };
  },
});
