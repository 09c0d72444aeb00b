import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deadUnitStats, formatDeadUnits } from '../../src/summary/deadUnits.js';
import { SeededRng } from '../../src/util/random.js';
import { findScipyPython, runPythonJson } from './scipyRef.js';

const python = findScipyPython();

/** n×d block: column 0 all 0 (dead ReLU), 1 constant 3.5, 2 active on 1 row of n, 3 tiny wiggle, 4..: normal. */
function block(n: number, d: number, seed = 1) {
  const rng = new SeededRng(seed);
  const data = new Float32Array(n * d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      let v: number;
      if (j === 0) v = 0;
      else if (j === 1) v = 3.5;
      else if (j === 2) v = i === 7 ? 2 : 0;
      else if (j === 3) v = 1 + (i % 2) * 1e-7;
      else v = Math.max(0, rng.nextNormal());
      data[i * d + j] = v;
    }
  }
  return { data, n, d };
}

test('dead units: zero-variance, rare-firing and tiny-std units are found, live ReLUs are not', () => {
  const s = deadUnitStats(block(2000, 12));
  assert.deepEqual(Array.from(s.zeroVarianceUnits), [0, 1]);
  assert.deepEqual(Array.from(s.nearConstantUnits), [2, 3]);
  assert.equal(s.dead, 4);
  assert.equal(s.deadShare, 4 / 12);
  assert.match(formatDeadUnits(s), /4 of 12 \(33\.3%\): 2 zero-variance, 2 near-constant/);
  // With 500 rows the unit firing on one row fills 99.8% < 99.9% with its mode: not near-constant.
  const small = deadUnitStats(block(500, 12));
  assert.deepEqual(Array.from(small.nearConstantUnits), [3]);
});

test('dead units agree with numpy (std and mode share computed independently)', { skip: python ? false : 'no numpy' }, () => {
  const b = block(1500, 9, 3);
  const ref = runPythonJson(python!, `
import json, numpy as np
x=np.array(${JSON.stringify(Array.from(b.data))},dtype=np.float32).reshape(${b.n},${b.d})
sd=x.astype(np.float64).std(axis=0)
zero=[int(j) for j in range(x.shape[1]) if x[:,j].max()==x[:,j].min()]
mode=[np.unique(x[:,j],return_counts=True)[1].max()/x.shape[0] for j in range(x.shape[1])]
near=[int(j) for j in range(x.shape[1]) if j not in zero and (sd[j]<=1e-6*sd.max() or mode[j]>=0.999)]
print(json.dumps({"zero":zero,"near":near}))`);
  const s = deadUnitStats(b);
  assert.deepEqual(Array.from(s.zeroVarianceUnits), ref.zero);
  assert.deepEqual(Array.from(s.nearConstantUnits), ref.near);
});

test('dead units reject bad shapes and thresholds', () => {
  assert.throws(() => deadUnitStats({ data: new Float32Array(5), n: 2, d: 3 }), /expected n×d/);
  assert.throws(() => deadUnitStats(block(10, 4), { modeShare: 0.4 }), /modeShare/);
});
