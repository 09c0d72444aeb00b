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
