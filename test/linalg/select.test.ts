import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLinalg, defaultLinalg, getLinalg, libraryLinalg, LINALG_NAMES, LINALG_PREFERENCE, probeLinalgs, typescriptLinalg } from '../../src/linalg/select.js';
import { referenceLinalg } from '../../src/linalg/reference.js';

test('getLinalg returns one shared instance per name and rejects unknown names', async () => {
  const a = await getLinalg('typescript');
  assert.equal(a, typescriptLinalg);
  assert.equal(await getLinalg('reference'), referenceLinalg);
  assert.equal(await getLinalg('onnx'), await getLinalg('onnx'));
  await assert.rejects(getLinalg('blas'), /unknown linalg 'blas' \(known: onnx, onnx-f64, wasm, workers, typescript, reference\)/);
});

test('defaultLinalg picks the first available of the measured preference order', async () => {
  const { linalg, reason } = await chooseLinalg();
  assert.equal(await defaultLinalg(), linalg);
  const probed = await probeLinalgs(LINALG_PREFERENCE);
  const firstAvailable = probed.find((p) => p.available)?.name;
  if (process.env.DR_LINALG) assert.match(reason, /forced by DR_LINALG/);
  else assert.equal(linalg.name, firstAvailable);
  assert.ok(reason.length > 0);
  assert.deepEqual([...LINALG_NAMES].sort(), ['onnx', 'onnx-f64', 'reference', 'typescript', 'wasm', 'workers']);
  const w = await getLinalg('workers');
  await w.dispose?.();
});

test('the library default accumulates in float64: a Gram of data at offset 1e4 matches the exact float64 sums to 1e-12', async () => {
  const lib = await libraryLinalg();
  assert.equal(lib.precision, 'float64');
  assert.equal(await defaultLinalg({ precision: 'float64' }), lib, 'one cached instance');
  const n = 300;
  const p = 7;
  // Values 1e4 + small integers/8: exactly representable in float32, so the float64 sums are exact.
  const a = Float32Array.from({ length: n * p }, (_, i) => 1e4 + ((i * 37) % 23) / 8);
  const got = await lib.gram(a, n, p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      let want = 0;
      for (let r = 0; r < n; r++) want += a[r * p + i] * a[r * p + j];
      assert.ok(Math.abs(got[i * p + j] - want) <= 1e-12 * Math.abs(want), `${i},${j}: ${got[i * p + j]} vs ${want}`);
    }
  }
});
