import { synthesizeFeatures } from '../../src/cache/synth.js';
import { perClassSubset } from '../../src/datasets/splits.js';
import { gatherRows } from '../../src/probe/features.js';
import type { FeatureBlock } from '../../src/types.js';

/** One train/test pair of the peer comparison (test/probe/peer.test.ts, make_peer_fixtures.mjs). */
export interface PeerCase {
  name: string;
  train: FeatureBlock;
  trainLabels: Int32Array;
  test: FeatureBlock;
  testLabels: Int32Array;
  /** Fractions of the layer compared (random neurons, seed 1). */
  fractions: number[];
}

/**
 * The cases of issue 9's "Done when", at test size: `dr synth`-style data (src/cache/synth.ts),
 *  - `synth-6000`: 8,000 × 128, 10 classes, seed 11, rows 0..5999 train, the rest test;
 *  - `synth-10shot`: 2,600 × 128, 10 classes, seed 5; 10 rows per class of rows 0..599 train
 *    (perClassSubset, seed 0), rows 600..2599 test.
 */
export function peerCases(): PeerCase[] {
  const d = 128;
  const a = synthesizeFeatures({ n: 8000, d, classes: 10, seed: 11 });
  const ntr = 6000;
  const six: PeerCase = {
    name: 'synth-6000',
    train: { data: a.features.data.slice(0, ntr * d), n: ntr, d },
    trainLabels: a.labels.slice(0, ntr),
    test: { data: a.features.data.slice(ntr * d), n: 8000 - ntr, d },
    testLabels: a.labels.slice(ntr),
    fractions: [0.05, 0.25, 1],
  };
  const b = synthesizeFeatures({ n: 2600, d: 128, classes: 10, seed: 5 });
  const pool = 600;
  const rows = perClassSubset(b.labels.subarray(0, pool), 10, 0);
  const ten: PeerCase = {
    name: 'synth-10shot',
    train: gatherRows({ data: b.features.data.subarray(0, pool * 128), n: pool, d: 128 }, rows),
    trainLabels: Int32Array.from(rows, (i) => b.labels[i]),
    test: { data: b.features.data.slice(pool * 128), n: 2600 - pool, d: 128 },
    testLabels: b.labels.slice(pool),
    fractions: [0.05, 0.25, 0.5, 1],
  };
  return [six, ten];
}

/** A short fingerprint of a block (sum and a few entries), to check a fixture was made from the same data. */
export function fingerprint(x: FeatureBlock, labels: Int32Array): number[] {
  let s = 0;
  for (let i = 0; i < x.data.length; i++) s += x.data[i] * ((i % 7) + 1);
  let l = 0;
  for (let i = 0; i < labels.length; i++) l += labels[i] * ((i % 5) + 1);
  return [x.n, x.d, Number(s.toPrecision(10)), l];
}
