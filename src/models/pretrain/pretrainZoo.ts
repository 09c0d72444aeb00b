import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { dataDir } from '../../util/paths.js';
import { loadFashionMnist, FASHION_MNIST_CLASSES, type FashionMnistOptions } from '../../datasets/fashionMnist.js';
import { randomFractionSubset } from '../../datasets/splits.js';
import type { ImageDataset } from '../../datasets/types.js';
import { forwardFlopsPerImage } from './flops.js';
import { pgdL2Attack } from './losses.js';
import { saveLayersModelToDir, MANIFEST_JSON } from './saveModel.js';
import { writeFileAtomic } from '../../util/atomicWrite.js';
import { evaluateAccuracy, trainZooNetwork, type TrainingData, type TrainOptions } from './train.js';
import { ZOO_PGD_EVAL, type ZooManifest, type ZooModelSpec } from './zooSpecs.js';
import { PENULTIMATE_LAYER } from './architectures.js';

const round2 = (v: number) => Math.round(v * 100) / 100;

/** Folder of the committed zoo: `data/models/`. */
export function zooDir(): string {
  return join(dataDir(), 'models');
}

/**
 * Keeps the images whose label is in `classes` (relabelled to their position in `classes`),
 * then a seeded `fraction` of them. Returns training data for the trainer.
 */
export function pretrainSubset(ds: ImageDataset, classes: number[], fraction: number, seed: number): TrainingData {
  const remap = new Map(classes.map((c, i) => [c, i]));
  const keep: number[] = [];
  for (let i = 0; i < ds.n; i++) if (remap.has(ds.labels[i])) keep.push(i);
  let rows = Int32Array.from(keep);
  if (fraction < 1) {
    const pick = randomFractionSubset(rows.length, fraction, seed);
    rows = pick.map((p) => rows[p]);
  }
  const size = ds.height * ds.width * ds.channels;
  const images = new Float32Array(rows.length * size);
  const labels = new Int32Array(rows.length);
  rows.forEach((r, i) => {
    images.set(ds.images.subarray(r * size, (r + 1) * size), i * size);
    labels[i] = remap.get(ds.labels[r])!;
  });
  return { images, labels, n: rows.length, height: ds.height, width: ds.width, channels: ds.channels };
}

/** Entry of `data/models/zoo.json`. */
export interface ZooIndexEntry {
  name: string;
  dir: string;
  architecture: string;
  width: number;
  loss: string;
  dropout: number;
  pretrainFraction: number;
  pretrainClasses: number;
  testAccuracy: number;
  weightsSha256: string;
  weightsBytes: number;
  flopsPerImage: number;
  trainSeconds: number;
  purpose: string;
}

/** Reads `zoo.json` (empty list when absent). */
export async function readZooIndex(dir = zooDir()): Promise<ZooIndexEntry[]> {
  const p = join(dir, 'zoo.json');
  if (!existsSync(p)) return [];
  return (JSON.parse(await readFile(p, 'utf8')) as { models: ZooIndexEntry[] }).models;
}

/** The zoo.json entry of a manifest. */
export function zooIndexEntry(m: ZooManifest): ZooIndexEntry {
  return {
    name: m.name, dir: m.name, architecture: m.architecture, width: m.width, loss: m.loss.kind, dropout: m.dropout,
    pretrainFraction: m.pretrainData.fraction, pretrainClasses: m.classes.length, testAccuracy: m.testAccuracy,
    weightsSha256: m.weightsSha256, weightsBytes: m.weightsBytes, flopsPerImage: m.flopsPerImage, trainSeconds: m.trainSeconds, purpose: m.purpose,
  };
}

/**
 * Rewrites `zoo.json` (atomically) from every `<dir>/<name>/manifest.json` present, in `order`
 * (spec order) then by name. Rebuilding from the manifests instead of editing the old index
 * keeps it right when two training processes save models at the same time.
 */
export async function rebuildZooIndex(order: string[], dir = zooDir()): Promise<ZooIndexEntry[]> {
  const list: ZooIndexEntry[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name, MANIFEST_JSON);
    if (!existsSync(path)) continue;
    const m = JSON.parse(await readFile(path, 'utf8')) as ZooManifest;
    if (m.name !== entry.name || m.penultimateLayer !== PENULTIMATE_LAYER) continue; // not a zoo model folder
    list.push(zooIndexEntry(m));
  }
  const rank = (n: string) => (order.indexOf(n) < 0 ? order.length : order.indexOf(n));
  list.sort((a, b) => rank(a.name) - rank(b.name) || a.name.localeCompare(b.name));
  await writeFileAtomic(join(dir, 'zoo.json'), JSON.stringify({ formatVersion: 1, penultimateLayer: PENULTIMATE_LAYER, models: list }, null, 2) + '\n');
  return list;
}

/** Options of {@link pretrainZooModel}. */
export interface PretrainOptions extends TrainOptions {
  /** Override the spec's epochs. */
  epochs?: number;
  /** Output folder (default data/models). */
  outDir?: string;
  /** Name of the TF.js backend in use, recorded in the manifest. */
  backend?: string;
  fashionMnist?: FashionMnistOptions;
  /** Pre-loaded data (tests, `--all` reuses it). */
  trainval?: ImageDataset;
  test?: ImageDataset;
  /** Evaluate on at most this many test images (tests). */
  testLimit?: number;
  /** Order of names in zoo.json. */
  order?: string[];
  log?: (line: string) => void;
}

/**
 * Trains one zoo model on Fashion-MNIST, measures its test accuracy, saves it as
 * `<outDir>/<name>/` (model.json, weights.bin, manifest.json; atomic) and updates zoo.json.
 */
export async function pretrainZooModel(specIn: ZooModelSpec, opts: PretrainOptions = {}): Promise<ZooManifest> {
  const spec = { ...specIn, epochs: opts.epochs ?? specIn.epochs };
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const trainval = opts.trainval ?? (await loadFashionMnist('trainval', opts.fashionMnist));
  const testAll = opts.test ?? (await loadFashionMnist('test', opts.fashionMnist));
  const train = pretrainSubset(trainval, spec.data.classes, spec.data.fraction, spec.seed);
  let test = pretrainSubset(testAll, spec.data.classes, 1, spec.seed);
  if (opts.testLimit && test.n > opts.testLimit) test = { ...test, n: opts.testLimit };
  const classes = spec.data.classes.length;
  log(`${spec.name}: training ${spec.architecture} width ${spec.width} loss ${spec.loss.kind} on ${train.n} images, ${classes} classes, ${spec.epochs} epochs`);
  const outDir = opts.outDir ?? zooDir();
  const loadBefore = loadavg();
  const trained = trainZooNetwork(spec, train, classes, opts);
  const loadAfter = loadavg();
  const model = trained.model;
  const logitsOf = (x: tf.Tensor4D) => model.apply(x, { training: false }) as tf.Tensor2D;
  const testAccuracy = evaluateAccuracy(logitsOf, test);
  let robustAccuracy: ZooManifest['robustAccuracy'];
  if (spec.loss.kind === 'pgd-l2') {
    // Robust accuracy under a stronger attack than the training one: same radius, more steps.
    const m = Math.min(test.n, ZOO_PGD_EVAL.images);
    const { eps, steps } = { eps: spec.loss.eps, steps: Math.max(ZOO_PGD_EVAL.steps, spec.loss.steps) };
    const advImages = new Float32Array(m * test.height * test.width * test.channels);
    for (let from = 0; from < m; from += 250) {
      const to = Math.min(m, from + 250);
      const size = test.height * test.width * test.channels;
      const x = tf.tensor4d(test.images.subarray(from * size, to * size), [to - from, test.height, test.width, test.channels]);
      const y = tf.tensor1d(test.labels.subarray(from, to), 'int32');
      const adv = pgdL2Attack(logitsOf, x, y, { eps, steps });
      advImages.set(adv.dataSync(), from * size);
      tf.dispose([x, y, adv]);
    }
    const accuracy = evaluateAccuracy(logitsOf, { ...test, n: m, images: advImages });
    robustAccuracy = { eps, steps, images: m, accuracy };
  }
  const dir = join(outDir, spec.name);
  const parameters = model.countParams();
  const flopsPerImage = forwardFlopsPerImage(model);
  let manifest: ZooManifest | undefined;
  const saved = await saveLayersModelToDir(model, dir, (s) => {
    manifest = {
      formatVersion: 1,
      name: spec.name,
      architecture: spec.architecture,
      width: spec.width,
      penultimateLayer: PENULTIMATE_LAYER,
      inputShape: [train.height, train.width, train.channels],
      preprocessing: 'unit-range',
      classes: spec.data.classes,
      classNames: spec.data.classes.map((c) => FASHION_MNIST_CLASSES[c]),
      loss: spec.loss,
      dropout: spec.dropout,
      pretrainData: { dataset: 'fashion-mnist', split: 'trainval', fraction: spec.data.fraction, classes: spec.data.classes, images: train.n },
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      learningRate: spec.learningRate,
      seed: spec.seed,
      backend: opts.backend ?? tf.getBackend(),
      testAccuracy,
      testImages: test.n,
      finalTrainLoss: trained.finalTrainLoss,
      ...(robustAccuracy ? { robustAccuracy } : {}),
      weightsSha256: s.weightsSha256,
      weightsBytes: s.weightsBytes,
      parameters,
      flopsPerImage,
      trainSeconds: Math.round(trained.trainSeconds * 10) / 10,
      trainLoadAverage: { before: loadBefore.map(round2), after: loadAfter.map(round2) },
      purpose: spec.purpose,
      createdAt: new Date().toISOString(),
    };
    return { [MANIFEST_JSON]: JSON.stringify(manifest, null, 2) + '\n' };
  });
  void saved;
  const m = manifest!;
  await rebuildZooIndex(opts.order ?? [], outDir);
  log(`${spec.name}: test accuracy ${(100 * testAccuracy).toFixed(2)}%${robustAccuracy ? `, PGD-L2 robust ${(100 * robustAccuracy.accuracy).toFixed(2)}%` : ''}, ${(m.weightsBytes / 1024).toFixed(0)} KiB, ${m.trainSeconds}s → ${dir}`);
  tf.dispose(trained.mrlHeads?.flatMap((h) => [h.kernel, h.bias]) ?? []);
  trained.trainView.dispose();
  return m;
}
