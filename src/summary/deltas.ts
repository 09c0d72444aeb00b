/** `count` evenly spaced values from `start` to `stop` inclusive (numpy's `linspace`). */
export function linspace(start: number, stop: number, count: number): number[] {
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`linspace: count must be a positive integer, got ${count}`);
  if (count === 1) return [start];
  const step = (stop - start) / (count - 1);
  return Array.from({ length: count }, (_, i) => (i === count - 1 ? stop : start + i * step));
}

/**
 * The paper's wide δ sweep: 20 values from 0 to 0.8, then 10 from 0.8 to 1 (both inclusive, as
 * `np.linspace`), with the shared 0.8 kept once: 29 ascending values.
 * @example
 * ```ts
 * drFromCurves(curves, { deltas: paperDeltaSweep() });
 * ```
 */
export function paperDeltaSweep(): number[] {
  return [...linspace(0, 0.8, 20), ...linspace(0.8, 1, 10).slice(1)];
}

/**
 * The paper's close-up δ sweep: `steps` values from 0.75 to 1 inclusive (the paper used 20 or 10).
 * @example
 * ```ts
 * drFromCurves(curves, { deltas: highDeltaSweep(20) });
 * ```
 */
export function highDeltaSweep(steps = 20): number[] {
  return linspace(0.75, 1, steps);
}
