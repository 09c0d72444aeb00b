import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Linalg } from '../../src/linalg/types.js';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { columnMeans, resolveCentring, scaledUnbiasedHsic, shiftedCopy } from '../../src/similarity/moments.js';
import { linearCka } from '../../src/similarity/linearCka.js';
import { SubsetCka } from '../../src/similarity/subsetCka.js';
import { layerLike } from './direct.js';

/** A backend that accumulates Gram / cross products in float32, like onnxruntime's sgemm. */
const float32Backend: Linalg = {
  name: 'float32-sim',
  async gram(a, n, p) {
    return this.crossProduct(a, a, n, p, p);
  },
  async crossProduct(a, b, n, p, q) {
    const out = new Float32Array(p * q);
    for (let r = 0; r < n; r++) for (let i = 0; i < p; i++) for (let j = 0; j < q; j++) out[i * q + j] = Math.fround(out[i * q + j] + Math.fround(a[r * p + i] * b[r * q + j]));
    return Float64Array.from(out);
  },
  matmul: referenceLinalg.matmul,
};

test('resolveCentring: float64 for float64-accumulating backends, shift otherwise', () => {
  assert.equal(resolveCentring('auto', referenceLinalg), 'float64');
  assert.equal(resolveCentring(undefined, { ...referenceLinalg, name: 'workers' }), 'float64');
  assert.equal(resolveCentring('auto', float32Backend), 'shift');
  assert.equal(resolveCentring('float64', float32Backend), 'float64');
  assert.throws(() => resolveCentring('bogus' as never, referenceLinalg), /centring must be/);
});

test('shiftedCopy centres columns in float32 and reports the residual means', () => {
  const x = { data: Float32Array.from([1, 10, 3, 14, 5, 18]), n: 3, d: 2 };
  const { block, mean } = shiftedCopy(x, columnMeans(x));
  assert.deepEqual(Array.from(block.data), [-2, -4, 0, 0, 2, 4]);
  assert.deepEqual(Array.from(mean), [0, 0]);
});

test('with a float32-accumulating backend and large means, shift centring keeps CKA accurate', async () => {
  const base = layerLike(400, 12, 3);
  // Large per-column offsets (features far from zero mean, as in some transformer layers).
  const x = { data: base.data.map((v, i) => v + 300 + 40 * (i % 12)), n: base.n, d: base.d };
  const y = { data: base.data.map((v, i) => (i % 12 < 6 ? v * v : v) + 500), n: base.n, d: base.d };
  const exact = await linearCka(x, y);
  const shifted = await linearCka(x, y, { linalg: float32Backend });
  const naive = await linearCka(x, y, { linalg: float32Backend, centring: 'float64' });
  assert.ok(Math.abs(shifted - exact) < 1e-5, `shift: ${shifted} vs ${exact}`);
  assert.ok(Math.abs(naive - exact) > 10 * Math.abs(shifted - exact), `float64 centring should lose digits: ${naive} vs ${exact}`);
  const sc = await SubsetCka.fromFeatures(x, { linalg: float32Backend });
  const scExact = await SubsetCka.fromFeatures(x);
  assert.ok(Math.abs(sc.partVsWhole([0, 3, 7]) - scExact.partVsWhole([0, 3, 7])) < 1e-5);
});

test('scaledUnbiasedHsic: closed form and its n ≥ 4 guard', () => {
  // n = 4: 10 − (4/2)·3 + (2·5)/(3·2) = 10 − 6 + 5/3.
  assert.ok(Math.abs(scaledUnbiasedHsic(10, 3, 2, 5, 4) - (4 + 5 / 3)) < 1e-15);
  assert.throws(() => scaledUnbiasedHsic(1, 1, 1, 1, 3), /at least 4 rows/);
});
