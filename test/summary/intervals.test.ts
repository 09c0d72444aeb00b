import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logGamma, regularizedBeta, studentTCdf, studentTQuantile, tInterval } from '../../src/summary/intervals.js';
import { findScipyPython, runPythonJson } from './scipyRef.js';

const python = findScipyPython();
const skip = python ? false : 'no Python with numpy + scipy found (set DR_PYTHON)';
const close = (a: number, b: number, tol: number, what = '') => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('logGamma and the incomplete beta match closed forms', () => {
  close(logGamma(5), Math.log(24), 1e-12, 'Γ(5) = 24');
  close(logGamma(0.5), Math.log(Math.sqrt(Math.PI)), 1e-12, 'Γ(1/2) = √π');
  // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 − (1 − x)^b
  close(regularizedBeta(0.3, 1, 1), 0.3, 1e-13);
  close(regularizedBeta(0.3, 2.5, 1), 0.3 ** 2.5, 1e-13);
  close(regularizedBeta(0.3, 1, 4), 1 - 0.7 ** 4, 1e-13);
});

test('Student t with 1 and 2 degrees of freedom has closed-form quantiles', () => {
  // df = 1 (Cauchy): q(p) = tan(π(p − 1/2)); df = 2: q(p) = (2p − 1)·√(2 / (4p(1 − p)))
  for (const p of [0.6, 0.9, 0.975, 0.995]) {
    close(studentTQuantile(p, 1), Math.tan(Math.PI * (p - 0.5)), 1e-8, `df=1 p=${p}`);
    close(studentTQuantile(p, 2), (2 * p - 1) * Math.sqrt(2 / (4 * p * (1 - p))), 1e-9, `df=2 p=${p}`);
    close(studentTQuantile(1 - p, 2), -studentTQuantile(p, 2), 1e-12, 'symmetry');
  }
  close(studentTCdf(0, 7), 0.5, 1e-15);
});

test('t quantiles, CDF and the t interval agree with scipy.stats', { skip }, () => {
  const dfs = [1, 2, 3, 4, 9, 24, 29, 100];
  const ref = runPythonJson(python!, `
import json
from scipy import stats
import numpy as np
dfs=${JSON.stringify(dfs)}
v=[0.91,0.87,0.95,0.90,0.885]
lo,hi=stats.t.interval(0.95, len(v)-1, loc=np.mean(v), scale=stats.sem(v))
print(json.dumps({"q":[stats.t.ppf(0.975,d) for d in dfs],"q90":[stats.t.ppf(0.95,d) for d in dfs],"cdf":[stats.t.cdf(1.3,d) for d in dfs],"ci":[lo,hi]}))`);
  dfs.forEach((df, i) => {
    close(studentTQuantile(0.975, df), ref.q[i], 1e-9 * Math.max(1, ref.q[i]), `t.ppf(0.975, ${df})`);
    close(studentTQuantile(0.95, df), ref.q90[i], 1e-9 * Math.max(1, ref.q90[i]), `t.ppf(0.95, ${df})`);
    close(studentTCdf(1.3, df), ref.cdf[i], 1e-12, `t.cdf(1.3, ${df})`);
  });
  const ci = tInterval([0.91, 0.87, 0.95, 0.90, 0.885]);
  close(ci.lo, ref.ci[0], 1e-10, 'interval lo');
  close(ci.hi, ref.ci[1], 1e-10, 'interval hi');
});

test('a t interval from fewer than two replicates is unbounded (never decides)', () => {
  const one = tInterval([0.4]);
  assert.equal(one.lo, -Infinity);
  assert.equal(one.hi, Infinity);
  assert.equal(one.estimate, 0.4);
  assert.throws(() => tInterval([1, 2], 1.5), /level/);
});
