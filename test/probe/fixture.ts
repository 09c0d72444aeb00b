import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';
import type { FeatureBlock } from '../../src/types.js';

/** test/fixtures/probe/probe_reference.json, made by make_fixtures.py beside it. */
export interface ProbeReference {
  n: number; d: number; classes: number; n_test: number;
  train: FeatureBlock; trainLabels: Int32Array; test: FeatureBlock; testLabels: Int32Array;
  ridge: { l2: number; weights: number[]; bias: number[]; test_accuracy: number }[];
  softmax: { l2: number; C: number; weights: number[]; bias: number[]; loss: number; train_accuracy: number; test_accuracy: number }[];
}

export function loadProbeReference(): ProbeReference {
  const raw = JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'probe', 'probe_reference.json'), 'utf8'));
  return {
    ...raw,
    train: { data: Float32Array.from(raw.train), n: raw.n, d: raw.d },
    trainLabels: Int32Array.from(raw.train_labels),
    test: { data: Float32Array.from(raw.test), n: raw.n_test, d: raw.d },
    testLabels: Int32Array.from(raw.test_labels),
  };
}

/** Largest |a − b| over two equal-length arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** Values and gradients of two objectives (e.g. SoftmaxObjective variants) at the same θ. */
export async function evaluateBoth(
  a: { evaluate(t: Float64Array, g: Float64Array): Promise<number> },
  b: { evaluate(t: Float64Array, g: Float64Array): Promise<number> },
  theta: Float64Array,
): Promise<{ f1: number; f2: number; g1: Float64Array; g2: Float64Array }> {
  const g1 = new Float64Array(theta.length);
  const g2 = new Float64Array(theta.length);
  return { f1: await a.evaluate(theta, g1), f2: await b.evaluate(theta, g2), g1, g2 };
}
