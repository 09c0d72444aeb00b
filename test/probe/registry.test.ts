import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PROBES } from '../../src/probe/registry.js';
import { PROBE_KINDS } from '../../src/probe/types.js';
import { PROBE_DEFAULTS } from '../../src/probe/defaults.js';
import { SGD_PAPER_DEFAULTS } from '../../src/probe/sgdPaper.js';
import { runProbe, type ProbeSelection } from '../../src/probe/run.js';
import { sweepConfigKey } from '../../src/sweep/engine.js';
import { loadProbeReference } from './fixture.js';

const ref = loadProbeReference();
const trainSplit = { features: ref.train, labels: ref.trainLabels };
const testSplit = { features: ref.test, labels: ref.testLabels };
const subset: ProbeSelection = { method: 'random', k: 4, d: 8, fraction: 0.5, seed: 2, indices: Int32Array.from([6, 1, 4, 3]) };

test('the registry has exactly the probe kinds, each under its own name', () => {
  assert.deepEqual(Object.keys(PROBES).sort(), [...PROBE_KINDS].sort());
  for (const [name, spec] of Object.entries(PROBES)) assert.equal(spec.kind, name);
});

test('registry defaults are the values stated once in defaults.ts and sgdPaper.ts', () => {
  assert.equal(PROBES['sgd-paper'].defaults, SGD_PAPER_DEFAULTS);
  assert.equal(PROBES.softmax.defaults.gtol, PROBE_DEFAULTS.softmax.gtol);
  assert.equal(PROBES.softmax.defaults.exponents, PROBE_DEFAULTS.softmaxExponents);
  assert.equal(PROBES.softmax.defaults.search, PROBE_DEFAULTS.softmaxSearch);
  assert.equal(PROBES.ridge.defaults.exponents, PROBE_DEFAULTS.ridgeExponents);
  assert.equal(PROBES.ridge.defaults.l2, PROBE_DEFAULTS.l2);
});

for (const kind of PROBE_KINDS) {
  test(`${kind}: result.hyper has exactly the registry's hyperFields (auto λ and fixed λ)`, async () => {
    const spec = PROBES[kind];
    const required = spec.hyperFields.filter((f) => !f.endsWith('?'));
    const allowed = new Set(spec.hyperFields.map((f) => f.replace(/\?$/, '')));
    const settings = spec.usesPenalty ? ['auto' as const, 1e-3] : [undefined];
    for (const l2 of settings) {
      const r = await runProbe(trainSplit, testSplit, subset, { probe: kind, l2, sgd: { epochs: 3 } });
      const keys = Object.keys(r.hyper);
      for (const f of required) assert.ok(keys.includes(f), `${kind} (l2 ${String(l2)}): hyper lacks ${f}`);
      for (const key of keys) assert.ok(allowed.has(key), `${kind} (l2 ${String(l2)}): hyper has ${key}, not in hyperFields`);
      assert.equal(r.penalty !== undefined, spec.usesPenalty, `${kind}: penalty record iff usesPenalty`);
      assert.ok(r.accuracy >= 0 && r.accuracy <= 1);
    }
  });
}

test('a sweep cell identity holds λ only for kinds that use it, and only the kind\'s own settings', () => {
  const opts = { l2: 0.5, softmax: { gtol: 1e-6 }, sgd: { epochs: 7 } };
  assert.deepEqual(JSON.parse(sweepConfigKey(opts, 'softmax')), { l2: 0.5, standardize: false, softmax: { gtol: 1e-6 } });
  assert.deepEqual(JSON.parse(sweepConfigKey(opts, 'ridge')), { l2: 0.5, standardize: false });
  assert.deepEqual(JSON.parse(sweepConfigKey(opts, 'sgd-paper')), { l2: null, standardize: false, sgd: { epochs: 7 } });
});

test('an unknown kind is refused with the list of kinds', async () => {
  await assert.rejects(runProbe(trainSplit, testSplit, subset, { probe: 'lasso' as never }), /unknown probe 'lasso' \(expected softmax, sgd-paper, ridge\)/);
  await assert.rejects(runProbe(trainSplit, testSplit, subset, { probe: 'toString' as never }), /unknown probe 'toString'/);
});
