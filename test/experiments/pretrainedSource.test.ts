import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowsToTable } from '../../src/summary/groups.js';
import { combinedFeatureSource } from '../../src/experiments/pretrainedSource.js';
import { headlineVerdicts, widthVerdicts } from '../../src/experiments/realVerdicts.js';
import { renderReport } from '../../src/experiments/report.js';
import { verdictFromInterval, type ClaimData } from '../../src/experiments/claims.js';
import { OutcomeSet, encodeCorrect } from '../../src/summary/bootstrap.js';
import type { FeatureSource } from '../../src/experiments/source.js';
import type { ExperimentContext } from '../../src/experiments/types.js';

/** A source with fixed model names whose splits only report which source answered. */
function fakeSource(name: string, models: string[], nTest = 400): FeatureSource {
  const split = (m: string) => ({ features: { data: new Float32Array(nTest), n: nTest, d: 1 }, labels: new Int32Array(nTest), meta: { modelId: m, answeredBy: name } as any });
  return {
    kind: 'zoo', description: name, hasModel: (m) => models.includes(m), models: () => [...models],
    modelInfo: (m) => ({ name: m, width: 1, purpose: name, network: name === 'real' ? 'pretrained' : undefined }),
    tasks: () => [{ id: 'digits', title: 'd', standsFor: 'x' }],
    splits: async (m) => ({ train: split(m), test: split(m) }),
    intermediateLayers: (m) => [{ layer: `${name}-layer-of-${m}`, d: 1 }], notes: () => [`${name} note`],
  };
}

test('combinedFeatureSource sends each model to the source that has it and labels the zoo models', async () => {
  const s = combinedFeatureSource(fakeSource('zoo', ['resnet']), fakeSource('real', ['mobilenetv2-1.4']));
  assert.deepEqual(s.models(), ['mobilenetv2-1.4', 'resnet']);
  assert.equal(((await s.splits('resnet', "digits")).train.meta as any).answeredBy, 'zoo');
  assert.equal(((await s.splits('mobilenetv2-1.4', "digits")).train.meta as any).answeredBy, 'real');
  assert.equal(s.modelInfo('mobilenetv2-1.4').network, 'pretrained');
  assert.equal(s.modelInfo('resnet').network, 'zoo');
  assert.deepEqual(s.intermediateLayers('mobilenetv2-1.4'), [{ layer: 'real-layer-of-mobilenetv2-1.4', d: 1 }]);
  assert.deepEqual(s.notes(), ['real note', 'zoo note']);
});

const cols = ['model', 'dataset', 'selection', 'fraction', 'seed', 'accuracy'];

/** ClaimData over synthetic outcomes: `n` test rows, each row's correctness drawn with probability `p` (seeded LCG). */
function outcomes(rows: Array<{ model: string; fraction: number; seed: number | null; p: number }>, n: number): ClaimData {
  const labels = new Int32Array(n);
  let state = 12345;
  const uniform = () => ((state = (state * 1103515245 + 12345) % 2147483648) / 2147483648);
  const table = rowsToTable(rows.map((r) => {
    const predictions = new Int32Array(n).map(() => (uniform() < r.p ? 0 : 1));
    const accuracy = predictions.filter((x) => x === 0).length / n;
    return { model: r.model, dataset: 'digits', selection: 'random', fraction: r.fraction, seed: r.seed, accuracy, correct: encodeCorrect(predictions, labels) };
  }), [...cols, 'correct']);
  const facts = new Map([...new Set(rows.map((r) => r.model))].map((m) => [`${m}|digits`, { trainRows: n, testRows: n, deadShare: 0 }]));
  return { set: new OutcomeSet(table, () => labels), facts, probe: 'ridge', replicates: 400 };
}

test('headline verdict: a bootstrap interval of the 20% gap decides against 5 points, three ways', () => {
  const seeds = [1, 2, 3, 4, 5];
  const model = (name: string, full: number, sub: number) => [{ model: name, fraction: 1, seed: null, p: full }, ...seeds.map((seed) => ({ model: name, fraction: 0.2, seed, p: sub }))];
  // a: gap ≈ 0.01 on 4,000 rows (interval well below 0.05); b: gap ≈ 0.2 (well above); c: gap ≈ 0.05 on 300 rows (straddles).
  const big = outcomes([...model('a', 0.9, 0.89), ...model('b', 0.9, 0.7)], 4000);
  const [a, b] = headlineVerdicts(big, ['a', 'b'], ['digits']);
  assert.equal(a.answer, 'holds', a.detail);
  assert.equal(b.answer, 'does-not-hold', b.detail);
  assert.ok(a.effect.hi < 0.05 && b.effect.lo > 0.05);
  const [c] = headlineVerdicts(outcomes(model('c', 0.9, 0.85), 300), ['c'], ['digits']);
  assert.equal(c.answer, 'inconclusive', c.detail);
  assert.ok(c.effect.lo < 0.05 && c.effect.hi > 0.05);
  assert.deepEqual(headlineVerdicts(big, ['missing'], ['digits']), []);
});

test('width verdict: DR(0.9) of the wider network above the narrower one, as an interval of the difference', () => {
  const seeds = [1, 2, 3, 4, 5];
  // wide reaches 0.9 × its full accuracy already at f = 0.1 (DR ≈ 0.9); narrow only between 0.1 and 0.5.
  const curve = (name: string, at01: number, at05: number) => [{ model: name, fraction: 1, seed: null, p: 0.95 },
    ...seeds.flatMap((seed) => [{ model: name, fraction: 0.1, seed, p: at01 }, { model: name, fraction: 0.5, seed, p: at05 }])];
  const data = outcomes([...curve('wide', 0.93, 0.95), ...curve('narrow', 0.5, 0.93)], 2000);
  const [v] = widthVerdicts(data, 'wide', 'narrow', ['digits'], [2, 1]);
  assert.equal(v.answer, 'holds', v.detail);
  const [w] = widthVerdicts(data, 'narrow', 'wide', ['digits'], [1, 2]);
  assert.equal(w.answer, 'does-not-hold', w.detail);
});

/** A verdict whose effect interval is [lo, hi] against "effect > 0" (so: holds, does not hold, inconclusive). */
function verdictWith(claim: string, [lo, hi]: [number, number], detail: string) {
  const basis = { models: [], tasks: [], probe: 'ridge', trainRows: {}, testRows: {}, seeds: [1] };
  return verdictFromInterval({ claim, paper: '', effectName: 'effect', rule: { direction: 'greater', margin: 0 }, models: [], tasks: [] },
    { estimate: (lo + hi) / 2, lo, hi, level: 0.95, method: 'given' }, basis, [], detail);
}

test('the report\'s first screen says which claims were measured on the real networks', () => {
  const html = renderReport([{
    id: 'E1', title: 't', paperClaim: 'p', tables: {}, figures: [], notes: [], seconds: 1,
    verdicts: [
      verdictWith('headline (mobilenetv2-1.4, digits)', [0.1, 0.2], 'x'),
      verdictWith('Gini for every model', [-0.2, -0.1], 'mobilenetv2-1.0: 1; resnet: 2'),
      verdictWith('adversarial', [-0.1, 0.1], 'resnet-l2 vs resnet'),
    ],
  }], { source: 's', sourceKind: 'zoo', probe: 'ridge', seeds: [1], fractions: [0.2], quick: true, seconds: 1, startedAt: 'now', machine: 'm', sourceNotes: [], failures: [], files: {}, realModels: ['mobilenetv2-1.4', 'mobilenetv2-1.0'] });
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const first = text.indexOf('Which network');
  assert.ok(first >= 0 && first < text.indexOf(' Claims '), 'before the claims table');
  assert.match(text, /real network : 1 hold, 0 do not hold, 0 inconclusive \(E1\)/);
  assert.match(text, /zoo : 0 hold, 0 do not hold, 1 inconclusive \(E1\)/);
  assert.match(text, /real network and zoo together : 0 hold, 1 do not hold, 0 inconclusive/);
});
