import assert from 'node:assert/strict';
import type { Linalg } from '../../src/linalg/types.js';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { loadNumpyFixtures, maxRelDiff, seededUniform } from './fixtures.js';

/** Shapes (n, p, q) covering 1×1, odd sizes, sizes just around tile/block edges, empty rows. */
export const EDGE_SHAPES: [number, number, number][] = [
  [1, 1, 1], [0, 3, 2], [2, 1, 5], [7, 3, 2], [5, 33, 1], [37, 31, 10], [130, 65, 3], [257, 40, 40], [300, 260, 7],
];

function random(len: number, rnd: () => number, nonNegative: boolean): Float32Array {
  return Float32Array.from({ length: len }, () => (nonNegative ? Math.max(0, rnd() - 0.3) : rnd() - 0.5));
}

/**
 * Asserts that `l` agrees with the float64 reference on Gram, cross product and matmul for
 * every edge shape, on the numpy fixtures, and throws the reference's shape errors.
 * `tol` is the relative tolerance (float32 backends ≈ 1e-5, float64 ones ≈ 1e-12).
 */
export async function assertAgreesWithReference(l: Linalg, tol: number): Promise<void> {
  const rnd = seededUniform(42);
  for (const [n, p, q] of EDGE_SHAPES) {
    const a = random(n * p, rnd, true);
    const b = random(n * q, rnd, false);
    const g = await l.gram(a, n, p);
    assert.equal(g.length, p * p);
    assert.ok(g instanceof Float64Array);
    const gd = maxRelDiff(g, await referenceLinalg.gram(a, n, p));
    assert.ok(gd <= tol, `${l.name} gram ${n}×${p}: rel diff ${gd}`);
    for (let i = 0; i < p; i++) for (let j = 0; j < i; j++) assert.equal(g[i * p + j], g[j * p + i], `${l.name} gram not symmetric`);
    const c = await l.crossProduct(a, b, n, p, q);
    const cd = maxRelDiff(c, await referenceLinalg.crossProduct(a, b, n, p, q));
    assert.ok(cd <= tol, `${l.name} cross ${n}×${p}·${n}×${q}: rel diff ${cd}`);
    // matmul: A (n×p) · B' (p×q)
    const bm = random(p * q, rnd, false);
    const m = await l.matmul(a, bm, n, p, q);
    assert.ok(m instanceof Float32Array);
    const md = maxRelDiff(m, await referenceLinalg.matmul(a, bm, n, p, q));
    assert.ok(md <= Math.max(tol, 1e-6), `${l.name} matmul ${n}×${p}·${p}×${q}: rel diff ${md}`);
  }
  for (const f of loadNumpyFixtures().grams) {
    const x = Float32Array.from(f.x);
    const y = Float32Array.from(f.y);
    assert.ok(maxRelDiff(await l.gram(x, f.n, f.p), f.gram) <= Math.max(tol, 1e-12), `${l.name} numpy gram n=${f.n}`);
    assert.ok(maxRelDiff(await l.crossProduct(x, y, f.n, f.p, f.q), f.cross) <= Math.max(tol, 1e-12), `${l.name} numpy cross n=${f.n}`);
  }
  await assert.rejects(l.gram(new Float32Array(5), 2, 3), /gram: A: has 5 values, expected 2×3 = 6/);
  await assert.rejects(l.crossProduct(new Float32Array(6), new Float32Array(3), 2, 3, 2), /crossProduct: B: has 3 values, expected 2×2 = 4/);
  await assert.rejects(l.matmul(new Float32Array(6), new Float32Array(5), 2, 3, 2), /matmul: B: has 5 values, expected 3×2 = 6/);
}
