/**
 * `node dist/bench/eigenProfile.js [n]`: phase times (milliseconds) of the blocked symmetric
 * eigensolver on an n×n (default 2048) SPD Gram: tridiagonalisation, divide and conquer on the
 * tridiagonal, back-transformation, with the onnx Linalg's float64 GEMM as `symmetricEigenBlocked`
 * gets it in bench:linalg. One JSON line per repetition. A diagnostic: no numpy, no accuracy check.
 */
import { tridiagonalEigen } from '../src/linalg/tridiagonalDc.js';
import { applyReflectors, tridiagonalise } from '../src/linalg/tridiagonalise.js';
import { createOnnxLinalg } from '../src/linalg/onnx.js';
import { reluFeatures } from './reluFeatures.js';

const n = Number(process.argv[2] ?? 2048);
const exact = await createOnnxLinalg({ precision: 'float64' });
const linalg = await createOnnxLinalg();
const g = await exact.gram(reluFeatures(n + 64, n, 5), n + 64, n);
for (let i = 0; i < n; i++) g[i * n + i] += 1;
for (let rep = 0; rep < 2; rep++) {
  let t = performance.now();
  const { d, e, panels } = await tridiagonalise(Float64Array.from(g), n, { linalg });
  const tridiagonalisation = performance.now() - t;
  t = performance.now();
  const { vectors } = await tridiagonalEigen(d, e, n, linalg);
  const divideAndConquer = performance.now() - t;
  t = performance.now();
  await applyReflectors(panels, vectors, n, n, linalg);
  const backTransformation = performance.now() - t;
  console.log(JSON.stringify({ n, rep, tridiagonalisation, divideAndConquer, backTransformation }));
}
await exact.dispose?.();
await linalg.dispose?.();
// The tridiagonalisation's worker pool keeps the process alive.
process.exit(0);
