import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { selectNeurons } from '../../select/selection.js';

export const command = defineCommand({
  name: 'subsets',
  summary: 'print the neuron indices a selection picks',
  usage: '--d D (--fraction F | --k K) [--seed S] [--rng ours|torch] [--sorted] [--json]',
  description: [
    'Prints the k = floor(F·d) (at least 1) neuron indices of a random subset, in pick order',
    '(the first k of a seeded permutation). --rng torch gives exactly PyTorch\'s',
    '`torch.manual_seed(S); torch.randperm(D)[:K]` on CPU, i.e. the subsets of the paper\'s runs;',
    '--rng ours (default) uses the package\'s xoshiro128** generator.',
  ].join('\n'),
  options: {
    d: { type: 'int', required: true, min: 1, meta: 'D', help: 'layer width (number of neurons)' },
    fraction: { type: 'number', min: 0, max: 1, meta: 'F', help: 'fraction of neurons, k = floor(F·d) (at least 1)' },
    k: { type: 'int', min: 1, meta: 'K', help: 'number of neurons (instead of --fraction)' },
    seed: { type: 'int', default: 1, meta: 'S', help: 'seed (paper: 1..5)' },
    rng: { type: 'string', choices: ['ours', 'torch'], default: 'ours', help: 'random generator' },
    sorted: { type: 'boolean', help: 'print the indices in ascending order instead of pick order' },
  },
  async run(args, io) {
    const o = args.options;
    if ((o.fraction === undefined) === (o.k === undefined)) throw new UsageError('give exactly one of --fraction F or --k K');
    if (o.fraction !== undefined && o.fraction <= 0) throw new UsageError(`--fraction: must be > 0, got ${o.fraction}`);
    if (o.k !== undefined && o.k > o.d) throw new UsageError(`--k ${o.k} exceeds --d ${o.d}`);
    const sel = await selectNeurons({ d: o.d, fraction: o.fraction, k: o.k, seed: o.seed, rng: o.rng, method: 'random' });
    const indices = Array.from(sel.indices!);
    const sortedIndices = Array.from(sel.sortedIndices!);
    io.print((o.sorted ? sortedIndices : indices).join(' '));
    return { d: sel.d, k: sel.k, fraction: sel.fraction, seed: sel.seed, rng: sel.rng, indices, sortedIndices };
  },
});
