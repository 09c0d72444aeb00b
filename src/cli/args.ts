import { UsageError } from '../util/errors.js';

/** Kinds of option value the parser checks. */
export type OptionType = 'string' | 'int' | 'number' | 'boolean' | 'ints' | 'numbers' | 'strings';

/** How one `--name` option is declared by a command. */
export interface OptionSpec {
  type: OptionType;
  help: string;
  required?: boolean;
  default?: string | number | boolean | number[] | string[];
  /** Allowed values (for `string`/`strings`). */
  choices?: readonly string[];
  min?: number;
  max?: number;
  /** Values must be strictly greater than this (e.g. 0 for a fraction in (0, 1]). */
  above?: number;
  /** Values must be strictly less than this. */
  below?: number;
  /** May be given several times (values accumulate), e.g. `--meta k=v --meta k2=v2`. */
  repeat?: boolean;
  /** Placeholder shown in help, e.g. FILE. */
  meta?: string;
}

export type OptionSpecs = Record<string, OptionSpec>;

/** Parsed options keyed by option name, plus positional arguments. */
export interface ParsedArgs {
  options: Record<string, any>;
  positionals: string[];
}

function parseNumber(opt: string, raw: string, integer: boolean, spec: OptionSpec): number {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || (integer && !Number.isInteger(v))) {
    throw new UsageError(`--${opt}: expected ${integer ? 'an integer' : 'a number'}, got '${raw}'`);
  }
  if (integer && !Number.isSafeInteger(v)) throw new UsageError(`--${opt}: ${raw} is beyond the exactly representable integers (±${Number.MAX_SAFE_INTEGER})`);
  if (spec.above !== undefined && !(v > spec.above)) throw new UsageError(`--${opt}: must be > ${spec.above}, got ${raw}`);
  if (spec.below !== undefined && !(v < spec.below)) throw new UsageError(`--${opt}: must be < ${spec.below}, got ${raw}`);
  if (spec.min !== undefined && v < spec.min) throw new UsageError(`--${opt}: must be >= ${spec.min}, got ${raw}`);
  if (spec.max !== undefined && v > spec.max) throw new UsageError(`--${opt}: must be <= ${spec.max}, got ${raw}`);
  return v;
}

/** A list option naming a value twice would run (or count) it twice: refused. */
function unique<T>(opt: string, values: T[]): T[] {
  const seen = new Set<T>();
  for (const v of values) {
    if (seen.has(v)) throw new UsageError(`--${opt}: ${String(v)} is given twice`);
    seen.add(v);
  }
  return values;
}

function convert(opt: string, raw: string, spec: OptionSpec): any {
  switch (spec.type) {
    case 'string':
      if (raw === '') throw new UsageError(`--${opt}: expected ${spec.meta ?? 'a value'}, got an empty string`);
      if (spec.choices && !spec.choices.includes(raw)) {
        throw new UsageError(`--${opt}: expected one of ${spec.choices.join(', ')}, got '${raw}'`);
      }
      return raw;
    case 'int':
    case 'number':
      return parseNumber(opt, raw, spec.type === 'int', spec);
    case 'ints':
    case 'numbers':
      return unique(opt, raw.split(',').map((s) => parseNumber(opt, s, spec.type === 'ints', spec)));
    case 'strings': {
      const parts = unique(opt, raw.split(',').map((s) => s.trim()).filter(Boolean));
      if (!parts.length) throw new UsageError(`--${opt}: expected a comma-separated list, got '${raw}'`);
      for (const p of parts) {
        if (spec.choices && !spec.choices.includes(p)) {
          throw new UsageError(`--${opt}: expected values from ${spec.choices.join(', ')}, got '${p}'`);
        }
      }
      return parts;
    }
    case 'boolean':
      if (raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw new UsageError(`--${opt}: expected true or false, got '${raw}'`);
  }
}

/**
 * Parses `argv` against `specs`: `--name value`, `--name=value`, `--flag` for booleans.
 * Unknown options, missing values, bad numbers and missing required options throw
 * {@link UsageError} naming the option and what was expected.
 */
export function parseArgs(argv: readonly string[], specs: OptionSpecs): ParsedArgs {
  const options: Record<string, any> = {};
  const positionals: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('--')) {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    const spec = specs[name];
    if (!spec) {
      const known = Object.keys(specs).map((k) => `--${k}`).join(', ');
      throw new UsageError(`unknown option --${name} (known: ${known || 'none'})`);
    }
    let raw: string;
    if (eq >= 0) raw = arg.slice(eq + 1);
    else if (spec.type === 'boolean') raw = 'true';
    else {
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) {
        throw new UsageError(`--${name}: expected a value (${spec.meta ?? spec.type})`);
      }
      raw = argv[++i];
    }
    const value = convert(name, raw, spec);
    if (spec.repeat) (options[name] ??= []).push(value);
    else options[name] = value;
  }
  for (const [name, spec] of Object.entries(specs)) {
    if (options[name] === undefined) {
      if (spec.required) throw new UsageError(`missing required option --${name} (${spec.help})`);
      if (spec.default !== undefined) options[name] = spec.default;
      else if (spec.type === 'boolean') options[name] = false;
    }
  }
  return { options, positionals };
}

/** Renders option help lines, one per option, aligned. */
export function formatOptions(specs: OptionSpecs): string {
  const rows = Object.entries(specs).map(([name, s]) => {
    const left = s.type === 'boolean' ? `--${name}` : `--${name} ${s.meta ?? s.type.toUpperCase()}`;
    const extra: string[] = [];
    if (s.required) extra.push('required');
    if (s.choices) extra.push(`one of: ${s.choices.join('|')}`);
    if (s.default !== undefined && s.type !== 'boolean') extra.push(`default: ${String(s.default)}`);
    return [left, `${s.help}${extra.length ? ` (${extra.join('; ')})` : ''}`];
  });
  const width = Math.max(0, ...rows.map((r) => r[0].length));
  return rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`).join('\n');
}
