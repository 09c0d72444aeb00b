/** Dot product of two equal-length Float64Arrays (summed in index order). */
export function dot(a: Float64Array, b: Float64Array): number {
  if (a.length !== b.length) throw new RangeError(`dot: lengths differ (${a.length} vs ${b.length})`);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** Column means of an n×d row-major block (`data` length n·d), accumulated in float64 → length-d Float64Array (zeros when n = 0). */
export function columnMeans(x: { data: Float32Array; n: number; d: number }): Float64Array {
  const { data, n, d } = x;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) mean[j] += data[off + j];
  }
  if (n > 0) for (let j = 0; j < d; j++) mean[j] /= n;
  return mean;
}
