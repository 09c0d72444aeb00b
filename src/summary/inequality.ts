/** Finite entries of `values` as a plain array (NaN marks a class absent from the test set). */
function finite(values: ArrayLike<number>): number[] {
  return Array.from(values, Number).filter(Number.isFinite);
}

/**
 * Gini coefficient with the paper's recipe: drop non-finite entries; if the minimum is negative shift
 * so it is 0; add 1e-7 to every entry; sort ascending; G = Σ_i (2i − n − 1)·a_i / (n·Σ a_i), i = 1..n.
 * Equal values give 0; one non-zero among n gives ≈ (n − 1)/n. NaN for an empty input.
 * @example
 * ```ts
 * gini([0.9, 0.9, 0.9]); // 0: every class equally well
 * gini([1, 0, 0]);       // 2/3
 * ```
 */
export function gini(values: ArrayLike<number>): number {
  const a = finite(values);
  const n = a.length;
  if (!n) return NaN;
  const min = Math.min(...a);
  const shift = min < 0 ? -min : 0;
  const sorted = a.map((v) => v + shift + 1e-7).sort((x, y) => x - y);
  let num = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    num += (2 * (i + 1) - n - 1) * sorted[i];
    sum += sorted[i];
  }
  return num / (n * sum);
}

/** max − min of the finite entries (NaN for an empty input). */
export function maxMinGap(values: ArrayLike<number>): number {
  const a = finite(values);
  return a.length ? Math.max(...a) - Math.min(...a) : NaN;
}

/**
 * Coefficient of variation of the finite entries: population standard deviation (divide by n) over
 * the mean. NaN for an empty input or a zero mean.
 */
export function coefficientOfVariation(values: ArrayLike<number>): number {
  const a = finite(values);
  if (!a.length) return NaN;
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  if (mean === 0) return NaN;
  const variance = a.reduce((s, v) => s + (v - mean) ** 2, 0) / a.length;
  return Math.sqrt(variance) / mean;
}
