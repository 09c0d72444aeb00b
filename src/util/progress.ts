/** One progress update: items done out of total, with rate (items/s) and ETA (s). */
export interface ProgressEvent {
  label: string;
  done: number;
  total: number;
  /** Items per second since start. */
  rate: number;
  /** Estimated seconds remaining (NaN before the first item). */
  etaSeconds: number;
  elapsedSeconds: number;
  unit: string;
}

export type ProgressSink = (event: ProgressEvent) => void;

/** Formats seconds as `1h02m`, `3m05s` or `12.3s`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  if (seconds < 60) return `${seconds.toFixed(1)}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m${String(Math.round(seconds - m * 60)).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  return `${h}h${String(m - h * 60).padStart(2, '0')}m`;
}

/** Renders one event as a single line: `label 120/1000 items (35.2 items/s, ETA 25.0s)`. */
export function formatProgress(e: ProgressEvent): string {
  const rate = e.rate >= 100 ? e.rate.toFixed(0) : e.rate.toPrecision(3);
  return `${e.label} ${e.done}/${e.total} ${e.unit} (${rate} ${e.unit}/s, ETA ${formatDuration(e.etaSeconds)})`;
}

/**
 * A sink that writes to stderr, throttled to one line per `intervalMs` (plus the final one).
 * On a TTY it redraws one line; elsewhere (CI logs, notebooks) it prints lines.
 */
export function stderrProgress(intervalMs = 1000, stream: NodeJS.WriteStream = process.stderr): ProgressSink {
  let last = 0;
  return (e) => {
    const now = Date.now();
    const final = e.done >= e.total;
    if (!final && now - last < intervalMs) return;
    last = now;
    const line = formatProgress(e);
    if (stream.isTTY) stream.write(`\r${line}\x1b[K${final ? '\n' : ''}`);
    else stream.write(`${line}\n`);
  };
}

/** A sink that drops everything. */
export const silentProgress: ProgressSink = () => {};

/**
 * Tracks done/total and reports to a sink. `tick(k)` adds k items.
 * The clock is injectable so tests can check rate and ETA exactly.
 */
export class Progress {
  private done = 0;
  private readonly start: number;
  constructor(
    readonly label: string,
    readonly total: number,
    private readonly sink: ProgressSink = stderrProgress(),
    readonly unit = 'items',
    private readonly clock: () => number = () => performance.now(),
  ) {
    this.start = clock();
  }

  tick(k = 1): void {
    this.done += k;
    const elapsedSeconds = (this.clock() - this.start) / 1000;
    const rate = elapsedSeconds > 0 ? this.done / elapsedSeconds : 0;
    const etaSeconds = rate > 0 ? (this.total - this.done) / rate : NaN;
    this.sink({ label: this.label, done: this.done, total: this.total, rate, etaSeconds, elapsedSeconds, unit: this.unit });
  }
}
