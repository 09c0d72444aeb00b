import { formatOptions, parseArgs } from './args.js';
import type { Command } from './command.js';
import { UsageError } from '../util/errors.js';
import { usageMessage } from './optionFlags.js';

/** Commands in help order; each module under `commands/` exports `command`. */
const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  info: { summary: 'print a feature cache file\'s metadata', load: () => import('./commands/info.js') },
  synth: { summary: 'write a synthetic feature cache with planted diffuse class structure', load: () => import('./commands/synth.js') },
  export: { summary: 'write a cache\'s features and labels as .npy files', load: () => import('./commands/export.js') },
  import: { summary: 'build a cache from .npy features and labels (e.g. from PyTorch)', load: () => import('./commands/import.js') },
  subsets: { summary: 'print the neuron indices a selection picks', load: () => import('./commands/subsets.js') },
  probe: { summary: 'train one linear probe on a subset of neurons', load: () => import('./commands/probe.js') },
  sweep: { summary: 'run a fractions × seeds × selections × probes grid (resumable)', load: () => import('./commands/sweep.js') },
  merge: { summary: 'combine sweep results files (e.g. the shards of dr sweep --shard i/N) into one', load: () => import('./commands/merge.js') },
  cka: { summary: 'linear CKA of random subsets: part vs whole, subset vs subset', load: () => import('./commands/cka.js') },
  dr: { summary: 'diffused redundancy DR(δ) from sweep results', load: () => import('./commands/dr.js') },
  fairness: { summary: 'per-class accuracy, Gini, max-min, CV from sweep results', load: () => import('./commands/fairness.js') },
  datasets: { summary: 'list the datasets found on this machine', load: () => import('./commands/datasets.js') },
  pretrain: { summary: 'train the miniature model zoo (TF.js)', load: () => import('./commands/pretrain.js') },
  models: { summary: 'list every model dr extract knows, with width, source and whether it is here', load: () => import('./commands/models.js') },
  extract: { summary: 'run a model to its penultimate layer and write the feature cache', load: () => import('./commands/extract.js') },
  reproduce: { summary: 'run the paper\'s experiments on the zoo; write tables, figures, report', load: () => import('./commands/reproduce.js') },
  backend: { summary: 'show which compute backends are available and which is chosen', load: () => import('./commands/backend.js') },
};

function topHelp(available: string[]): string {
  const width = Math.max(...available.map((n) => n.length));
  return [
    'dr: diffused redundancy in pre-trained representations',
    '',
    'usage: dr COMMAND [options]     (dr COMMAND --help for its options)',
    '',
    'commands:',
    ...available.map((n) => `  ${n.padEnd(width)}  ${COMMANDS[n].summary}`),
    '',
    'Every command accepts --json (one JSON object on the last line of stdout).',
  ].join('\n');
}

async function loadCommand(name: string): Promise<Command | undefined> {
  const entry = COMMANDS[name];
  if (!entry) return undefined;
  try {
    return (await entry.load()).command;
  } catch (err: any) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes(`commands/${name}.js`)) return undefined;
    throw err;
  }
}

async function availableCommands(): Promise<string[]> {
  const names: string[] = [];
  for (const n of Object.keys(COMMANDS)) if (await loadCommand(n)) names.push(n);
  return names;
}

/**
 * Runs the CLI on `argv` (without `node` and the script). Returns the exit code:
 * 0 success, 1 failure, 2 usage error. Errors go to stderr; results to stdout.
 */
export async function main(argv: string[], out: (s: string) => void = (s) => process.stdout.write(s)): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    out(`${topHelp(await availableCommands())}\n`);
    return 0;
  }
  if (name === '--version') {
    const { PACKAGE_VERSION } = await import('../version.js');
    out(`${PACKAGE_VERSION}\n`);
    return 0;
  }
  const command = await loadCommand(name);
  if (!command) {
    process.stderr.write(`dr: unknown command '${name}'. Commands: ${(await availableCommands()).join(', ')}\n`);
    return 2;
  }
  const specs = {
    ...command.options,
    json: { type: 'boolean' as const, help: 'print one JSON object on the last line of stdout' },
    'no-verify': { type: 'boolean' as const, help: 'skip the content-checksum check of feature caches read (huge trusted files)' },
    help: { type: 'boolean' as const, help: 'show this help' },
  };
  if (rest.includes('--help') || rest.includes('-h')) {
    out(`usage: dr ${command.name} ${command.usage}\n\n${command.summary}\n${command.description ? `\n${command.description}\n` : ''}\noptions:\n${formatOptions(specs)}\n`);
    return 0;
  }
  try {
    const args = parseArgs(rest, specs);
    if (args.positionals.length && !command.positionals) {
      throw new UsageError(`unexpected argument '${args.positionals[0]}'`);
    }
    const json = Boolean(args.options.json);
    // --no-verify holds for this command only (main may run several commands in one process).
    const reader = args.options['no-verify'] ? await import('../cache/reader.js') : undefined;
    reader?.cacheVerification(false);
    let result: Record<string, unknown>;
    try {
      result = await command.run(args, { json, print: (line) => { if (!json) out(`${line}\n`); } });
    } finally {
      reader?.cacheVerification(true);
    }
    if (json) out(`${JSON.stringify(result)}\n`);
    return 0;
  } catch (err: any) {
    if (err instanceof UsageError) {
      process.stderr.write(`dr ${name}: ${usageMessage(err)}\nusage: dr ${command.name} ${command.usage}  (dr ${name} --help)\n`);
      return 2;
    }
    process.stderr.write(`dr ${name}: ${err?.message ?? String(err)}\n`);
    if (process.env.DR_DEBUG) process.stderr.write(`${err?.stack}\n`);
    return 1;
  }
}
