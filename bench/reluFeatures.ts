/**
 * Deterministic ReLU-like benchmark features: a rank-8 signal plus noise, clipped at 0 (so some units are
 * often zero, as in a real penultimate layer). Same bytes for the same seed on any machine.
 * @returns n×d row-major Float32Array
 */
export function reluFeatures(n: number, d: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 4294967296);
  const r = 8;
  const z = Float32Array.from({ length: n * r }, () => rnd() * 2 - 1);
  const w = Float32Array.from({ length: r * d }, () => rnd() * 2 - 1);
  const x = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v = 0.3 + 0.2 * (rnd() - 0.5);
      for (let t = 0; t < r; t++) v += 0.3 * z[i * r + t] * w[t * d + j];
      x[i * d + j] = v > 0 ? v : 0;
    }
  }
  return x;
}
