import type { OptionSpecs, ParsedArgs } from './args.js';

/** What a command may use besides its arguments. */
export interface CommandIO {
  /** Human-readable output (suppressed when --json is given). */
  print: (line: string) => void;
  /** True when --json was given. */
  json: boolean;
}

/**
 * A `dr` subcommand. `run` returns the command's result; with `--json` the CLI prints it as
 * exactly one JSON object on the last line of stdout.
 */
export interface Command {
  name: string;
  summary: string;
  /** Usage line after `dr NAME`, e.g. `--features FILE --out PREFIX`. */
  usage: string;
  /** Longer description printed by `dr NAME --help`. */
  description?: string;
  options: OptionSpecs;
  /** Accepts positional arguments (e.g. `dr info FILE`). */
  positionals?: string;
  run: (args: ParsedArgs, io: CommandIO) => Promise<Record<string, unknown>>;
}

/** Identity helper giving type inference to command modules. */
export function defineCommand(c: Command): Command {
  return c;
}
