// Value checks at every boundary where data enters or leaves a feature cache.
import { FileFormatError } from '../util/errors.js';

/** Position of the first NaN or ±Infinity in `data`, or -1 when every value is finite. */
export function firstNonFinite(data: Float32Array): number {
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    // v - v is 0 for finite v and NaN for NaN and ±Infinity.
    if (v - v !== 0) return i;
  }
  return -1;
}

/** Position of the first label outside 0..classes-1 (or below 0 when classes is 0 = unknown), or -1. */
export function firstBadLabel(labels: Int32Array, classes: number): number {
  const limit = classes > 0 ? classes : 0x7fffffff;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y < 0 || y >= limit) return i;
  }
  return -1;
}

/**
 * Checks one batch of rows from or for `file`: every feature finite and every label in
 * 0..classes-1 (`classes` 0 = unknown: labels only need to be ≥ 0). `firstRow` is the row
 * number of the batch's first row in the file, so the error names the file's row and column.
 * Throws a {@link FileFormatError}.
 */
export function checkBatchValues(file: string, features: Float32Array, labels: Int32Array, d: number, firstRow: number, classes: number): void {
  const bad = firstNonFinite(features);
  if (bad >= 0) {
    const row = firstRow + Math.floor(bad / d);
    throw new FileFormatError(file, `row ${row}, column 'features' (neuron ${bad % d}): value ${features[bad]} is not finite; feature caches hold finite numbers only`);
  }
  checkLabelValues(file, labels, firstRow, classes);
}

/** The label part of {@link checkBatchValues}. */
export function checkLabelValues(file: string, labels: Int32Array, firstRow: number, classes: number): void {
  const at = firstBadLabel(labels, classes);
  if (at >= 0) {
    const range = classes > 0 ? `0..${classes - 1} (${classes} class names)` : '≥ 0';
    throw new FileFormatError(file, `row ${firstRow + at}, column 'label': value ${labels[at]} is outside ${range}`);
  }
}
