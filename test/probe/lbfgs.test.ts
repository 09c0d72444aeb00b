import { test } from 'node:test';
import assert from 'node:assert/strict';
import { minimizeLbfgs } from '../../src/probe/lbfgs.js';

test('minimises the Rosenbrock function to (1, 1)', async () => {
  const res = await minimizeLbfgs(async (x, g) => {
    const [a, b] = x;
    g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
    g[1] = 200 * (b - a * a);
    return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
  }, Float64Array.from([-1.2, 1]), { gtol: 1e-9, ftol: 0 });
  assert.equal(res.stop, 'gradient');
  assert.ok(Math.abs(res.x[0] - 1) < 1e-6 && Math.abs(res.x[1] - 1) < 1e-6, `${res.x}`);
  assert.ok(res.iterations < 100, `${res.iterations} iterations`);
});

test('an ill-conditioned quadratic is solved exactly and the start is not modified', async () => {
  // f = ½ Σ cᵢ (xᵢ − i)², condition number 1e4.
  const c = Float64Array.from({ length: 20 }, (_, i) => 10 ** (4 * i / 19));
  const x0 = new Float64Array(20);
  const res = await minimizeLbfgs(async (x, g) => {
    let f = 0;
    for (let i = 0; i < x.length; i++) { const r = x[i] - i; f += 0.5 * c[i] * r * r; g[i] = c[i] * r; }
    return f;
  }, x0, { gtol: 1e-14, ftol: 0, maxIterations: 1000 });
  for (let i = 0; i < 20; i++) assert.ok(Math.abs(res.x[i] - i) < 1e-6, `x[${i}] = ${res.x[i]}`);
  assert.ok(x0.every((v) => v === 0));
});

test('stops on the iteration cap and on relative loss change', async () => {
  const fg = async (x: Float64Array, g: Float64Array): Promise<number> => { g[0] = Math.exp(x[0]) - 1 + 1e-3; return Math.exp(x[0]) - x[0] + 1e-3 * x[0]; };
  const capped = await minimizeLbfgs(fg, Float64Array.from([5]), { maxIterations: 2, gtol: 0, ftol: 0 });
  assert.equal(capped.stop, 'max-iterations');
  assert.equal(capped.iterations, 2);
  const flat = await minimizeLbfgs(fg, Float64Array.from([5]), { gtol: 0, ftol: 1e-3 });
  assert.equal(flat.stop, 'loss-change');
});

test('a non-finite objective at the start is an error', async () => {
  await assert.rejects(minimizeLbfgs(async () => NaN, new Float64Array(1)), /objective is NaN/);
});
