import { synthesizeFeatures } from '../cache/index.js';
import { fewShotRows, subsetSplit, type FeatureSource, type ModelInfo, type TaskInfo, type TaskSplits } from './source.js';
import { ZOO_ROLES } from './roles.js';
import type { SweepSplit } from '../sweep/engine.js';

/** Generator settings standing for one model. */
interface SynthModel {
  width: number;
  rank: number;
  noise: number;
  seed: number;
}

/** Options of {@link syntheticFeatureSource}. */
export interface SyntheticSourceOptions {
  /** Training rows per task (default 1000). */
  trainRows?: number;
  /** Test rows per task (default 500). */
  testRows?: number;
  /** Width of models whose name does not encode one (default 64). */
  width?: number;
  /** Model names to offer (default: every name the experiments use). */
  models?: string[];
}

function widthOf(name: string, fallback: number): number {
  const m = /-w(\d+)$/.exec(name);
  return m ? Number(m[1]) : fallback;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Synthetic stand-ins for the zoo (src/cache `synthesizeFeatures`: class structure in a low-rank latent
 * space mixed densely into all neurons, plus noise), under the zoo's model names so every experiment runs
 * without trained models. Their numbers test the pipeline, not the paper: the report says so.
 * Tasks: `digits` (10 classes), `digits-10shot` (10 training rows per class), `fashion` and
 * `fashion-shift` (test rows with doubled noise); one intermediate layer `block` of twice the width.
 */
export function syntheticFeatureSource(opts: SyntheticSourceOptions = {}): FeatureSource {
  const nTrain = opts.trainRows ?? 1000;
  const nTest = opts.testRows ?? 500;
  const names = opts.models ?? [...new Set<string>([
    ZOO_ROLES.standard, ZOO_ROLES.adversarial, ZOO_ROLES.mrl, ...ZOO_ROLES.architectures,
    ...ZOO_ROLES.widths, ...ZOO_ROLES.pretrainData, ...ZOO_ROLES.regularisers,
  ])];
  const spec = (name: string): SynthModel => {
    const width = widthOf(name, opts.width ?? 64);
    const h = hash(name);
    return { width, rank: Math.max(1, Math.min(width, 6 + (h % 12))), noise: 0.6 + ((h >>> 8) % 10) / 10, seed: h % 100000 };
  };
  const tasks: TaskInfo[] = [
    { id: 'digits', title: `synthetic, 10 classes (${nTrain} train / ${nTest} test rows)`, standsFor: 'CIFAR10-like transfer task' },
    { id: 'digits-10shot', title: 'synthetic, 10 training rows per class', standsFor: 'Flowers102-like low-data task' },
    { id: 'fashion', title: 'synthetic, 10 classes, other class means', standsFor: 'in-domain task' },
    { id: 'fashion-shift', title: 'synthetic in-domain task, test rows with extra noise', standsFor: 'distribution shift' },
  ];
  const memo = new Map<string, TaskSplits>();
  const make = (model: string, task: string, layer?: string): TaskSplits => {
    const s = spec(model);
    const d = layer ? 2 * s.width : s.width;
    const taskSeed = task.startsWith('fashion') ? 7919 : 0;
    const g = synthesizeFeatures({ n: nTrain + nTest, d, classes: 10, seed: s.seed + taskSeed + (layer ? 17 : 0), rank: Math.min(d, s.rank), noise: s.noise, nonNegative: true });
    const whole: SweepSplit = { features: g.features, labels: g.labels };
    const names = { model: layer ? `${model}@${layer}` : model, task };
    const trainRows = Int32Array.from({ length: nTrain }, (_, i) => i);
    const testRows = Int32Array.from({ length: nTest }, (_, i) => nTrain + i);
    const train = subsetSplit(whole, trainRows, names);
    const test = subsetSplit(whole, testRows, names);
    if (task === 'fashion-shift') {
      const shift = synthesizeFeatures({ n: nTest, d, classes: 10, seed: s.seed + 31, rank: 1, noise: s.noise, separation: 0 });
      for (let i = 0; i < test.features.data.length; i++) test.features.data[i] = Math.max(0, test.features.data[i] + shift.features.data[i]);
    }
    if (task === 'digits-10shot') return { train: subsetSplit(train, fewShotRows(train.labels, 10, 0), names), test };
    return { train, test };
  };
  return {
    kind: 'synthetic',
    description: `synthetic stand-ins (src/cache synthesizeFeatures) named like the zoo models; ${nTrain} train / ${nTest} test rows per task`,
    hasModel: (name) => names.includes(name),
    models: () => [...names],
    modelInfo: (name): ModelInfo => ({ name, width: spec(name).width, purpose: 'synthetic stand-in' }),
    tasks: () => [...tasks],
    async splits(model, task, o = {}) {
      if (!names.includes(model)) throw new RangeError(`synthetic source: no model '${model}'`);
      if (!tasks.some((t) => t.id === task)) throw new RangeError(`synthetic source: no task '${task}'`);
      const key = `${model}|${task}|${o.layer ?? ''}`;
      let v = memo.get(key);
      if (!v) memo.set(key, (v = make(model, task, o.layer)));
      return v;
    },
    intermediateLayers: (model) => (names.includes(model) ? [{ layer: 'block', d: 2 * spec(model).width }] : []),
    notes: () => ['Synthetic features: every verdict below describes the generator, not the paper\'s claim.'],
  };
}
