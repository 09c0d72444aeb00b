import type { FeatureBlock } from '../types.js';
import type { SweepSplit } from '../sweep/engine.js';

/** A downstream task the experiments probe. */
export interface TaskInfo {
  /** Short id used in tables and file names, e.g. `digits`. */
  id: string;
  title: string;
  /** Which of the paper's downstream sets it stands in for. */
  standsFor: string;
}

/** What the experiments know about a model besides its features. */
export interface ModelInfo {
  name: string;
  /** Penultimate width d. */
  width: number | null;
  purpose: string;
  /** Pre-training test accuracy from the zoo manifest, when known. */
  pretrainAccuracy?: number;
  /** Which kind of network the features come from: a real pre-trained one, the miniature zoo, or synthetic. */
  network?: 'pretrained' | 'zoo' | 'synthetic';
  /** Where the weights come from, in words (real networks). */
  provenance?: string;
}

/** Train and test features of one model on one task. */
export interface TaskSplits {
  train: SweepSplit;
  test: SweepSplit;
}

/**
 * Where experiment features come from: the miniature zoo (features extracted by the models) or
 * synthetic stand-ins. Experiments only use this interface, so they run on either.
 */
export interface FeatureSource {
  kind: 'zoo' | 'synthetic';
  /** One sentence for the report, e.g. which images and how many. */
  description: string;
  hasModel(name: string): boolean;
  models(): string[];
  modelInfo(name: string): ModelInfo;
  tasks(): TaskInfo[];
  /** Features of `model` on `task` (memoised); `layer` picks another layer than the penultimate one. */
  splits(model: string, task: string, opts?: { layer?: string }): Promise<TaskSplits>;
  /** Layers other than the penultimate one that `splits` can serve for `model` (E10), with their width when known. */
  intermediateLayers(model: string): Array<{ layer: string; d: number | null }>;
  /** Things the report should say about the source (missing data, limits). */
  notes(): string[];
}

/** Rows `rows` of a feature block and its labels, as a new split labelled `model` / `task`. */
export function subsetSplit(split: SweepSplit, rows: Int32Array, labels: { model: string; task: string }): SweepSplit {
  const { d } = split.features;
  const data = new Float32Array(rows.length * d);
  const out = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    data.set(split.features.data.subarray(r * d, (r + 1) * d), i * d);
    out[i] = split.labels[r];
  });
  const features: FeatureBlock = { data, n: rows.length, d };
  return { features, labels: out, meta: { ...split.meta, modelId: labels.model, datasetId: labels.task } };
}

/** Deterministic permutation of 0..n−1 from a 32-bit seed (mulberry32 + Fisher–Yates). */
export function seededOrder(n: number, seed: number): Int32Array {
  let s = seed >>> 0;
  const next = (): number => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** The first `perClass` rows of each class in a seeded order (a few-shot training set), sorted. */
export function fewShotRows(labels: Int32Array, perClass: number, seed: number): Int32Array {
  const counts = new Map<number, number>();
  const picked: number[] = [];
  for (const r of seededOrder(labels.length, seed)) {
    const c = counts.get(labels[r]) ?? 0;
    if (c < perClass) {
      picked.push(r);
      counts.set(labels[r], c + 1);
    }
  }
  return Int32Array.from(picked.sort((a, b) => a - b));
}

/** Reads one split of a dataset as features: `(dataset, split, limit)` → the extracted cache. */
export type SplitExtractor = (dataset: string, split: string, limit: number) => Promise<SweepSplit>;

/**
 * The shared tasks of the zoo and real-network sources, from one feature extractor: `digits` (the
 * limited train / test splits), `digits-10shot` (10 training rows per class, seed 0, same test split)
 * and `fashion` (the limited Fashion-MNIST test split in seeded halves, probe-train / probe-test).
 * Returns undefined for any other task; `fashion` also returns the clean split and its halves' rows,
 * which the zoo's shifted task reuses.
 */
export async function sharedTaskSplits(
  task: string, extract: SplitExtractor, limits: { digitsTrain: number; digitsTest: number; fashion: number }, names: { model: string; task: string },
): Promise<TaskSplits | undefined> {
  const all = (s: SweepSplit) => subsetSplit(s, Int32Array.from({ length: s.features.n }, (_, i) => i), names);
  if (task === 'digits' || task === 'digits-10shot') {
    const train = await extract('mnist-digits', 'train', limits.digitsTrain);
    const test = await extract('mnist-digits', 'test', limits.digitsTest);
    if (task === 'digits') return { train: all(train), test: all(test) };
    return { train: subsetSplit(train, fewShotRows(train.labels, 10, 0), names), test: all(test) };
  }
  if (task === 'fashion') {
    const { clean, trainRows, testRows } = await fashionHalves(extract, limits.fashion);
    return { train: subsetSplit(clean, trainRows, names), test: subsetSplit(clean, testRows, names) };
  }
  return undefined;
}

/** The limited Fashion-MNIST test split and the sorted rows of its two seeded halves (seed 0). */
export async function fashionHalves(extract: SplitExtractor, limit: number): Promise<{ clean: SweepSplit; trainRows: Int32Array; testRows: Int32Array }> {
  const clean = await extract('fashion-mnist', 'test', limit);
  const order = seededOrder(clean.features.n, 0);
  const half = Math.floor(order.length / 2);
  return { clean, trainRows: Int32Array.from(order.subarray(0, half)).sort(), testRows: Int32Array.from(order.subarray(half)).sort() };
}

/**
 * `load(model, task, layer)` remembered per (model, task, layer): concurrent callers share one promise,
 * and a failed load is forgotten so the next call tries again.
 */
export function memoisedSplits(load: (model: string, task: string, layer?: string) => Promise<TaskSplits>): (model: string, task: string, layer?: string) => Promise<TaskSplits> {
  const memo = new Map<string, Promise<TaskSplits>>();
  return (model, task, layer) => {
    const key = `${model}|${task}|${layer ?? ''}`;
    let p = memo.get(key);
    if (!p) {
      p = load(model, task, layer);
      memo.set(key, p);
      p.catch(() => memo.delete(key));
    }
    return p;
  };
}
