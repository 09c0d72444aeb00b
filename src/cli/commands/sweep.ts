import { defineCommand } from '../command.js';
import { runSweep, SWEEP_SELECTIONS } from '../../sweep/engine.js';
import { probeKindsHelp } from '../optionFlags.js';
import { PROBE_KINDS } from '../../probe/types.js';
import { PROBE_DEFAULTS, type L2Setting } from '../../probe/defaults.js';
import { parseL2Option } from '../l2Option.js';
import { UsageError } from '../../util/errors.js';
import { defaultLinalg } from '../../linalg/index.js';

export const command = defineCommand({
  name: 'sweep',
  summary: 'run a fractions × seeds × selections × probes grid (resumable)',
  usage: '--train FILE --test FILE --fractions LIST --seeds LIST [--select LIST] [--probe LIST] [--l2 auto|X|LIST] --out FILE.arrow',
  description: [
    'Trains one linear probe per cell of the grid on two feature caches (same model and layer) and',
    'appends one row per cell to the results Arrow file (model, dataset, selection, fraction, k, seed,',
    'probe, accuracy, per-class accuracy, seconds). Cells already in --out are skipped, so an interrupted',
    'sweep resumes where it stopped. The full layer (fraction 1) is always included; deterministic',
    'selections (first, pca, pca-bottom) and the full layer run once, with seed null.',
    'All ridge probes share one Gram of the training layer; softmax probes are preconditioned by it.',
    '--l2 auto (default) chooses λ per cell on a validation part of the training cache, as `dr probe --help`',
    'describes; the results record the chosen λ (column l2) and the validation curve (validationL2,',
    'validationAccuracy). Default probe: softmax (ridge is the fast option).',
    '--out records the identity of its inputs (n, d and content checksums of both caches, their metadata,',
    'the subset generator): resuming with other inputs is an error listing the differences (--force starts',
    'over). One sweep writes an --out at a time (lock file --out.lock; a second one waits, then resumes).',
    '--shard i/N runs cells j ≡ i (mod N) of the grid; `dr merge` combines the N files into the unsharded result.',
  ].join('\n'),
  options: {
    train: { type: 'string', required: true, meta: 'FILE', help: 'training feature cache (.arrow)' },
    test: { type: 'string', required: true, meta: 'FILE', help: 'test feature cache (.arrow)' },
    fractions: { type: 'numbers', above: 0, max: 1, meta: 'LIST', help: 'fractions of neurons, e.g. 0.01,0.1,0.5' },
    ks: { type: 'ints', min: 1, meta: 'LIST', help: 'absolute neuron counts (alternative or addition to --fractions)' },
    seeds: { type: 'ints', default: [1, 2, 3, 4, 5], meta: 'LIST', help: 'seeds of random selections' },
    select: { type: 'strings', choices: SWEEP_SELECTIONS, default: ['random'], meta: 'LIST', help: 'selection methods' },
    probe: { type: 'strings', choices: PROBE_KINDS, default: [PROBE_DEFAULTS.probe], meta: 'LIST', help: `probe kinds — ${probeKindsHelp()}` },
    l2: { type: 'string', meta: 'auto|X|LIST', help: 'probe penalty: auto (default, chosen on validation data), a fixed λ, or a list to choose from' },
    standardize: { type: 'boolean', help: 'standardise selected features with training statistics' },
    rng: { type: 'string', choices: ['ours', 'torch'], default: 'ours', help: 'random subset generator' },
    model: { type: 'string', meta: 'NAME', help: 'model label in the results (default: from the cache metadata)' },
    dataset: { type: 'string', meta: 'NAME', help: 'dataset label in the results (default: from the cache metadata)' },
    out: { type: 'string', required: true, meta: 'FILE.arrow', help: 'results file (created or resumed)' },
    force: { type: 'boolean', help: 'start over: replace --out instead of resuming it' },
    'allow-mismatch': { type: 'boolean', help: 'probe across caches of different models/layers/datasets (recorded in --out)' },
    'save-every': { type: 'number', min: 0, default: 5, meta: 'SECONDS', help: 'rewrite --out at most this often while running (always at the end)' },
    shard: { type: 'string', meta: 'i/N', help: 'run only slice i of N (0-based) of the grid into --out; combine with dr merge' },
  },
  async run(args, io) {
    const o = args.options;
    let l2: L2Setting;
    try { l2 = parseL2Option(o.l2); } catch (err) { throw new UsageError((err as Error).message); }
    const outcome = await runSweep({
      train: o.train, test: o.test, fractions: o.fractions, ks: o.ks, seeds: o.seeds, selections: o.select,
      probes: o.probe, l2, standardize: o.standardize, rng: o.rng, model: o.model, dataset: o.dataset, out: o.out,
      force: o.force, allowMismatch: o['allow-mismatch'], shard: o.shard, saveEverySeconds: o['save-every'],
      linalg: await defaultLinalg(),
    });
    io.print(`ran ${outcome.ran} probes, skipped ${outcome.skipped} finished, in ${outcome.seconds.toFixed(1)} s; ${outcome.results.numRows()} rows in ${o.out}`);
    return { out: o.out, ran: outcome.ran, skipped: outcome.skipped, rows: outcome.results.numRows(), seconds: outcome.seconds };
  },
});
