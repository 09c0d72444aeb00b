import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { referenceLinalg } from '../../src/linalg/reference.js';
import { EXPERIMENTS } from '../../src/experiments/registry.js';
import { syntheticFeatureSource } from '../../src/experiments/syntheticSource.js';
import { zooFeatureSource } from '../../src/experiments/zooSource.js';
import { ZOO_ROLES } from '../../src/experiments/roles.js';
import { dataDir } from '../../src/util/paths.js';
import type { FeatureSource } from '../../src/experiments/source.js';
import { existsSync } from 'node:fs';
import type { ExperimentContext, ExperimentId, ExperimentVerdict } from '../../src/experiments/types.js';

/** The faster experiments (the others share their claim code paths: bootstrapClaim / verdictFromInterval). */
const IDS: ExperimentId[] = ['E1', 'E2', 'E3', 'E7', 'E9'];

async function verdicts(seeds: number[], source: FeatureSource = syntheticFeatureSource({ trainRows: 300, testRows: 300, width: 24 }), ids = IDS): Promise<Map<string, ExperimentVerdict>> {
  const dir = mkdtempSync(join(tmpdir(), 'dr-stable-'));
  try {
    const ctx: ExperimentContext = {
      source,
      grid: { fractions: [0.05, 0.1, 0.2, 0.5], seeds, probe: 'ridge', deltas: [0.9], ckaRows: 200 },
      quick: true, linalg: referenceLinalg, workDir: dir, progress: false, log: () => {},
    };
    const out = new Map<string, ExperimentVerdict>();
    for (const id of ids) for (const v of (await EXPERIMENTS[id](ctx)).verdicts) out.set(`${id}: ${v.claim}`, v);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the claims twice with disjoint seed sets and checks no claim flips between holds and does not hold; returns how many were decided in both. */
async function checkTwoSeedSets(run: (seeds: number[]) => Promise<Map<string, ExperimentVerdict>>): Promise<number> {
  const a = await run([1, 2, 3, 4, 5, 6, 7, 8]);
  const b = await run([101, 102, 103, 104, 105, 106, 107, 108]);
  assert.deepEqual([...a.keys()].sort(), [...b.keys()].sort(), 'the same claims in both runs');
  let decidedBoth = 0;
  for (const [claim, va] of a) {
    const vb = b.get(claim)!;
    const pair = new Set([va.answer, vb.answer]);
    assert.ok(!(pair.has('holds') && pair.has('does-not-hold')), `${claim}: ${va.answer} ${va.detail} vs ${vb.answer} ${vb.detail}`);
    if (va.answer !== 'inconclusive' && vb.answer !== 'inconclusive') decidedBoth++;
    // Every verdict states what it rests on.
    for (const v of [va, vb]) {
      assert.ok(v.basis.models.length && v.basis.tasks.length && v.basis.probe, claim);
      assert.ok(v.basis.tasks.every((t) => v.basis.testRows[t] > 0), `${claim}: test rows`);
      assert.ok(v.effect.lo <= v.effect.hi || Number.isNaN(v.effect.lo), claim);
    }
  }
  return decidedBoth;
}

test('two disjoint seed sets never give holds vs does-not-hold for the same claim', async () => {
  const decidedBoth = await checkTwoSeedSets((seeds) => verdicts(seeds));
  // Not vacuous: several claims are decided, the same way, in both runs.
  assert.ok(decidedBoth >= 4, `only ${decidedBoth} claims decided in both runs`);
});

/** The committed zoo (or DR_STABILITY_ZOO, a folder of zoo models), when it holds the models E1 and E3 compare. */
const zooDir = process.env.DR_STABILITY_ZOO ?? join(dataDir(), 'models');
const zooModels = [ZOO_ROLES.standard, ZOO_ROLES.adversarial, 'vgg', 'mlp'];
const zooPresent = zooModels.filter((m) => existsSync(join(zooDir, m, 'model.json')));

test('on the zoo: two disjoint seed sets never give holds vs does-not-hold (E1, E3, E9 on small digits / Fashion splits)', {
  skip: zooPresent.length >= 2 ? false : `needs at least two of ${zooModels.join(', ')} in ${zooDir}`,
}, async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'dr-stable-zoo-'));
  try {
    // One source (and one feature cache) for both runs: only the subset seeds differ.
    const source = await zooFeatureSource({ quick: true, modelsDir: zooDir, cacheDir, limits: { digitsTrain: 600, digitsTest: 400, fashion: 800 } });
    const decidedBoth = await checkTwoSeedSets((seeds) => verdicts(seeds, source, ['E1', 'E3', 'E9']));
    assert.ok(decidedBoth >= 1, `no claim decided in both runs on the zoo (${zooPresent.join(', ')})`);
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
});
