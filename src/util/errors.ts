/**
 * An error caused by what the user gave (argument, file): the CLI prints its message and exits 2.
 * @example
 * ```ts
 * try { await readFeatureCache('missing.arrow'); } catch (e) { if (e instanceof UsageError) console.error(e.message); }
 * ```
 */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A file exists but is not what was expected (corrupt, truncated, wrong schema or version). */
export class FileFormatError extends Error {
  readonly file: string;
  constructor(file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'FileFormatError';
    this.file = file;
  }
}

/**
 * A file could not be read or written (missing, a folder, no permission, disk full …). The CLI
 * prints its message, which starts with the file, and exits 1.
 */
export class FileAccessError extends Error {
  readonly file: string;
  /** The system error code when there was one (ENOENT, EISDIR, ENOSPC …). */
  readonly code?: string;
  constructor(file: string, message: string, code?: string) {
    super(`${file}: ${message}`);
    this.name = 'FileAccessError';
    this.file = file;
    this.code = code;
  }
}

/**
 * A bad value of a named option of a library call (`fractions`, `out`, `workers` …). Its message speaks the
 * API's words (`fractions: 2 is outside (0, 1]`); the CLI rewrites it with the flag that set the option
 * (`--fractions: …`), see `src/cli/optionFlags.ts`.
 * @example
 * ```ts
 * try { await runSweep({ ...opts, fractions: [2] }); } catch (e) { if (e instanceof OptionError) console.error(e.option); }
 * ```
 */
export class OptionError extends UsageError {
  /** The option's name in the API (camelCase), e.g. `fractions`. */
  readonly option: string;
  /** The offending value when the message names it after the option (`backend gpu: …`), else undefined. */
  readonly value?: string;
  /** What is wrong, without the option's name; other options it names stand in backticks (`force`), which the CLI shows as flags. */
  readonly detail: string;
  constructor(option: string, detail: string, value?: string) {
    super(`${option}${value === undefined ? '' : ` ${value}`}: ${detail}`);
    this.name = 'OptionError';
    this.option = option;
    this.value = value;
    this.detail = detail;
  }
}
