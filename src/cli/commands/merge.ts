import { defineCommand } from '../command.js';
import { mergeSweepResults } from '../../sweep/merge.js';
import { acquireLock } from '../../util/lock.js';

export const command = defineCommand({
  name: 'merge',
  summary: 'combine sweep results files (e.g. the shards of dr sweep --shard i/N) into one',
  usage: 'FILE.arrow... --out FILE.arrow',
  positionals: 'FILE.arrow...',
  description: [
    'Reads sweep results files and writes their rows as one results file, after checking that all of them',
    'were computed from the same inputs and settings (the identity each file records: n, d and content',
    'checksums of the train and test caches, their metadata, the subset generator) and the same grid.',
    'Shards must be 0/N … N-1/N, each once and complete; the rows come out in the unsharded order, and',
    'the merged file can be resumed by `dr sweep` with the same inputs.',
  ].join('\n'),
  options: {
    out: { type: 'string', required: true, meta: 'FILE.arrow', help: 'merged results file' },
  },
  async run(args, io) {
    // The same one-writer rule as dr sweep: a sweep or merge writing --out right now is waited for.
    const lock = args.options.out ? await acquireLock(args.options.out) : undefined;
    let outcome;
    try {
      outcome = mergeSweepResults(args.positionals, args.options.out);
    } finally {
      lock?.release();
    }
    io.print(`merged ${args.positionals.length} files (${outcome.rows} rows) into ${args.options.out}`);
    return { out: args.options.out, files: args.positionals, rows: outcome.rows };
  },
});
