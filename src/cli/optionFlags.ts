import { PROBES } from '../probe/registry.js';
import { OptionError } from '../util/errors.js';

/** Library option names whose flag is not their kebab-case spelling. */
const FLAG_OF_OPTION: Readonly<Record<string, string>> = { selections: 'select' };

/** The `dr` flag that sets a library option: `inputSize` → `--input-size`, `selections` → `--select`. */
export function flagOf(option: string): string {
  return `--${FLAG_OF_OPTION[option] ?? option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}

/** The message of a usage error in the words of the command line: an {@link OptionError} names its flag. */
export function usageMessage(err: Error): string {
  if (!(err instanceof OptionError)) return err.message;
  const detail = err.detail.replace(/`([A-Za-z][A-Za-z0-9]*)`/g, (_, option: string) => flagOf(option));
  return `${flagOf(err.option)}${err.value === undefined ? '' : ` ${err.value}`}: ${detail}`;
}

/** The probe kinds for `--probe`'s help: each kind's one-line description from the registry. */
export function probeKindsHelp(): string {
  return Object.values(PROBES).map((p) => `${p.kind}: ${p.description}`).join('; ');
}
