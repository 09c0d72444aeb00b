import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rowsToTable } from '../../src/summary/groups.js';
import { combinedFeatureSource } from '../../src/experiments/pretrainedSource.js';
import { headlineVerdicts, widthVerdicts } from '../../src/experiments/realVerdicts.js';
import { renderReport } from '../../src/experiments/report.js';
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

test('headline verdict: the seed range of the gap, widened by 1.96 binomial SEs, decides against 5 points', async () => {
  const ctx = { source: fakeSource('real', ['a', 'b', 'c'], 400) } as unknown as ExperimentContext;
  const rows = [
    // a: full 0.90, subsets 0.89/0.88 → gaps 0.01..0.02; SE = sqrt(.9·.1/400) = 0.015, ×1.96 = 0.0294 → [−0.0194, 0.0494] < 0.05: holds.
    { model: 'a', dataset: 'digits', selection: 'random', fraction: 1, seed: null, accuracy: 0.9 },
    { model: 'a', dataset: 'digits', selection: 'random', fraction: 0.2, seed: 1, accuracy: 0.89 },
    { model: 'a', dataset: 'digits', selection: 'random', fraction: 0.2, seed: 2, accuracy: 0.88 },
    // b: gaps 0.10, 0.12 → [0.0706, 0.1494] > 0.05: fails.
    { model: 'b', dataset: 'digits', selection: 'random', fraction: 1, seed: null, accuracy: 0.9 },
    { model: 'b', dataset: 'digits', selection: 'random', fraction: 0.2, seed: 1, accuracy: 0.8 },
    { model: 'b', dataset: 'digits', selection: 'random', fraction: 0.2, seed: 2, accuracy: 0.78 },
    // c: gaps 0.03, 0.05 → straddles: undecided.
    { model: 'c', dataset: 'digits', selection: 'random', fraction: 1, seed: null, accuracy: 0.9 },
    { model: 'c', dataset: 'digits', selection: 'random', fraction: 0.2, seed: 1, accuracy: 0.87 },
    { model: 'c', dataset: 'digits', selection: 'random', fraction: 0.2, seed: 2, accuracy: 0.85 },
  ];
  const v = await headlineVerdicts(ctx, rowsToTable(rows, cols), ['a', 'b', 'c'], ['digits']);
  assert.deepEqual(v.map((x) => x.holds), [true, false, null]);
  assert.match(v[0].detail, /gap interval \[-0\.019, 0\.049\]/);
  assert.match(v[1].detail, /\[0\.071, 0\.149\]/);
});

test('width verdict compares the seed ranges of DR(0.9); overlapping ranges are undecided', () => {
  const curve = (model: string, seed: number, accs: number[]) => [0.1, 0.5].map((f, i) => ({ model, dataset: 'digits', selection: 'random', fraction: f, seed, accuracy: accs[i] }));
  const full = (model: string) => ({ model, dataset: 'digits', selection: 'random', fraction: 1, seed: null, accuracy: 1 });
  // wide reaches 0.9 at f = 0.1 (DR 0.9) for both seeds; narrow only between 0.1 and 0.5 (DR < 0.9).
  const rows = [full('wide'), ...curve('wide', 1, [0.95, 1]), ...curve('wide', 2, [0.92, 1]), full('narrow'), ...curve('narrow', 1, [0.5, 0.95]), ...curve('narrow', 2, [0.6, 0.95])];
  const [v] = widthVerdicts(rowsToTable(rows, cols), 'wide', 'narrow', ['digits'], [2, 1]);
  assert.equal(v.holds, true, v.detail);
  const [w] = widthVerdicts(rowsToTable(rows, cols), 'narrow', 'wide', ['digits'], [1, 2]);
  assert.equal(w.holds, false, w.detail);
});

test('the report\'s first screen says which claims were measured on the real networks', () => {
  const html = renderReport([{
    id: 'E1', title: 't', paperClaim: 'p', tables: {}, figures: [], notes: [], seconds: 1,
    verdicts: [
      { claim: 'headline (mobilenetv2-1.4, digits)', holds: true, detail: 'x' },
      { claim: 'Gini for every model', holds: false, detail: 'mobilenetv2-1.0: 1; resnet: 2' },
      { claim: 'adversarial', holds: null, detail: 'resnet-l2 vs resnet' },
    ],
  }], { source: 's', sourceKind: 'zoo', probe: 'ridge', seeds: [1], fractions: [0.2], quick: true, seconds: 1, startedAt: 'now', machine: 'm', sourceNotes: [], failures: [], files: {}, realModels: ['mobilenetv2-1.4', 'mobilenetv2-1.0'] });
  const text = html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
  const first = text.indexOf('Which network');
  assert.ok(first >= 0 && first < text.indexOf('Summary'), 'before the summary table');
  assert.match(text, /real network : 1 hold, 0 do not, 0 undecided \(E1\)/);
  assert.match(text, /zoo : 0 hold, 0 do not, 1 undecided \(E1\)/);
  assert.match(text, /real network and zoo together : 0 hold, 1 do not, 0 undecided/);
});
