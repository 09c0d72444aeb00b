/** An error caused by what the user gave (argument, file): the CLI prints its message and exits 2. */
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
