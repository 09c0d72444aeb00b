import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSymvArena, wasmSymvRows } from '../../src/linalg/symvWasm.js';
import { symvLowerRows } from '../../src/linalg/symv.js';
import { createSymvPool } from '../../src/linalg/symvPool.js';
import { seededUniform } from './fixtures.js';

/** y = B·u for B = A[s0:, s0:] from the full symmetric A, summed directly in float64. */
function direct(a: Float64Array, n: number, s0: number, u: Float64Array): Float64Array {
  const y = new Float64Array(n);
  for (let i = s0; i < n; i++) for (let j = s0; j < n; j++) y[i] += a[Math.max(i, j) * n + Math.min(i, j)] * u[j];
  return y;
}

const arenaOk = createSymvArena(8, 1) !== undefined;

test('WebAssembly SIMD symmetric product equals the direct sum for odd/even sizes, offsets and row bands', { skip: !arenaOk && 'WebAssembly SIMD/shared memory unavailable' }, () => {
  for (const n of [1, 2, 5, 8, 37, 130]) {
    const arena = createSymvArena(n, 1)!;
    const kernel = wasmSymvRows(arena.memory)!;
    const rnd = seededUniform(n);
    for (let i = 0; i < n * n; i++) arena.w[i] = rnd() - 0.5;
    for (let i = 0; i < n; i++) arena.u[i] = rnd() - 0.5;
    for (const s0 of [0, 1, 2, 3, Math.floor(n / 2)].filter((s) => s < n)) {
      const want = direct(arena.w, n, s0, arena.u);
      const { y, scratch } = arena.threads[0];
      // Two bands with an odd split, as the threads do.
      const mid = s0 + Math.floor((n - s0) / 3) * 2 + 1;
      y.fill(0);
      kernel(arena.w, n, s0, arena.u, y, s0, Math.min(n, mid), scratch);
      if (mid < n) kernel(arena.w, n, s0, arena.u, y, mid, n, scratch);
      const ts = new Float64Array(n);
      symvLowerRows(arena.w, n, s0, arena.u, ts);
      for (let i = s0; i < n; i++) {
        assert.ok(Math.abs(y[i] - want[i]) <= 1e-14 * n, `n=${n} s0=${s0} y[${i}] ${y[i]} vs ${want[i]}`);
        assert.ok(Math.abs(y[i] - ts[i]) <= 1e-14 * n, `n=${n} s0=${s0}: SIMD and TypeScript kernels differ at ${i}`);
      }
    }
  }
});

test('symv pool on the arena: a worker running the SIMD kernel gives the direct product', { skip: !arenaOk && 'WebAssembly SIMD/shared memory unavailable' }, async () => {
  const n = 301;
  const arena = createSymvArena(n, 2)!;
  const rnd = seededUniform(3);
  for (let i = 0; i < n * n; i++) arena.w[i] = rnd() - 0.5;
  for (let i = 0; i < n; i++) arena.u[i] = rnd() - 0.5;
  const pool = await createSymvPool(arena.w, arena.u, n, 2, arena);
  assert.ok(pool, 'pool started');
  try {
    for (const s0 of [0, 7, 150]) {
      const y = arena.threads[0].y;
      y.fill(0);
      pool.run(s0, y);
      const want = direct(arena.w, n, s0, arena.u);
      for (let i = s0; i < n; i++) assert.ok(Math.abs(y[i] - want[i]) <= 1e-13, `s0=${s0} y[${i}]`);
    }
  } finally {
    await pool.close();
  }
});
