import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { resolveSynthOptions, synthesizeFeatureBatches, synthesizeFeatures, writeSyntheticCache } from '../../src/cache/synth.js';
import { readFeatureCache } from '../../src/cache/reader.js';
import { SeededRng } from '../../src/util/random.js';
import { tempDir } from './tmpdir.js';

const dir = tempDir();

test('deterministic from the seed; batching does not change the rows', () => {
  const o = { n: 50, d: 12, classes: 3, seed: 5 };
  const a = synthesizeFeatures(o);
  const b = synthesizeFeatures(o);
  assert.deepEqual(a.features.data, b.features.data);
  assert.deepEqual(a.labels, b.labels);
  assert.notDeepEqual(synthesizeFeatures({ ...o, seed: 6 }).features.data, a.features.data);
  const rows: number[] = [];
  const labels: number[] = [];
  for (const batch of synthesizeFeatureBatches(o, 7)) {
    rows.push(...batch.features);
    labels.push(...batch.labels);
    assert.equal(batch.index![0] % 7, 0);
  }
  assert.deepEqual(Float32Array.from(rows), a.features.data);
  assert.deepEqual(labels, Array.from(a.labels));
});

test('labels are balanced and shuffled; options are validated', () => {
  const { labels, options } = synthesizeFeatures({ n: 100, d: 4, classes: 4, seed: 1 });
  const counts = [0, 0, 0, 0];
  for (const l of labels) counts[l]++;
  assert.deepEqual(counts, [25, 25, 25, 25]);
  assert.notDeepEqual(Array.from(labels.slice(0, 8)), [0, 1, 2, 3, 0, 1, 2, 3]);
  assert.deepEqual(options, { n: 100, d: 4, classes: 4, seed: 1, rank: 4, noise: 1, separation: 1, nonNegative: false });
  assert.throws(() => resolveSynthOptions({ n: 10, d: 4, classes: 2, seed: 0, rank: 5 }), /rank must be <= d \(4\), got 5/);
  assert.throws(() => resolveSynthOptions({ n: 10, d: 4, classes: 2, seed: 0, noise: -1 }), /noise must be a finite number >= 0/);
  assert.throws(() => resolveSynthOptions({ n: 1.5, d: 4, classes: 2, seed: 0 }), /n must be an integer >= 0/);
});

test('with noise 0 and rank R every row lies in the R-dim span of the mixing matrix (rank check via Gram)', () => {
  // Rows x = Wᵀz: any R+1 rows are linearly dependent, R rows generically are not.
  const R = 3;
  const { features } = synthesizeFeatures({ n: 40, d: 10, classes: 2, seed: 3, rank: R, noise: 0 });
  const rankOf = (rows: number[]) => {
    const m = rows.map((i) => Array.from(features.data.subarray(i * 10, i * 10 + 10)));
    let r = 0;
    for (let c = 0; c < 10 && r < m.length; c++) {
      let p = r;
      for (let i = r; i < m.length; i++) if (Math.abs(m[i][c]) > Math.abs(m[p][c])) p = i;
      if (Math.abs(m[p][c]) < 1e-4) continue;
      [m[r], m[p]] = [m[p], m[r]];
      for (let i = r + 1; i < m.length; i++) {
        const f = m[i][c] / m[r][c];
        for (let k = c; k < 10; k++) m[i][k] -= f * m[r][k];
      }
      r++;
    }
    return r;
  };
  assert.equal(rankOf([0, 1, 2, 3, 4, 5, 6, 7]), R);
});

test('class signal is diffuse: nearest-class-mean on 8 random neurons of 256 is far above chance', () => {
  const n = 2000;
  const d = 256;
  const C = 5;
  const { features, labels } = synthesizeFeatures({ n, d, classes: C, seed: 11 });
  const rng = new SeededRng(99);
  const picks = new Set<number>();
  while (picks.size < 8) picks.add(rng.below(d));
  const cols = [...picks];
  const train = n / 2;
  const means = Array.from({ length: C }, () => new Float64Array(cols.length));
  const counts = new Array(C).fill(0);
  for (let i = 0; i < train; i++) {
    counts[labels[i]]++;
    cols.forEach((c, k) => (means[labels[i]][k] += features.data[i * d + c]));
  }
  means.forEach((m, c) => m.forEach((_, k) => (m[k] /= counts[c])));
  let correct = 0;
  for (let i = train; i < n; i++) {
    let best = -1;
    let bestDist = Infinity;
    for (let c = 0; c < C; c++) {
      let dist = 0;
      cols.forEach((col, k) => (dist += (features.data[i * d + col] - means[c][k]) ** 2));
      if (dist < bestDist) [best, bestDist] = [c, dist];
    }
    if (best === labels[i]) correct++;
  }
  const acc = correct / (n - train);
  assert.ok(acc > 0.5, `accuracy on 8/256 random neurons ${acc} (chance 0.2)`);
});

test('nonNegative clamps at zero like a post-ReLU layer', () => {
  const { features } = synthesizeFeatures({ n: 30, d: 20, classes: 3, seed: 2, nonNegative: true });
  assert.ok(features.data.every((v) => v >= 0));
  assert.ok(features.data.some((v) => v === 0));
  assert.ok(features.data.some((v) => v > 0));
});

test('writeSyntheticCache streams the same rows to disk with the parameters in the metadata', async () => {
  const o = { n: 300, d: 9, classes: 4, seed: 8, rank: 5, noise: 0.5 };
  const path = join(dir, 's.arrow');
  const events: number[] = [];
  await writeSyntheticCache(path, o, { batchRows: 64, progress: (e) => events.push(e.done) });
  const data = await readFeatureCache(path);
  const mem = synthesizeFeatures(o);
  assert.deepEqual(data.features, mem.features);
  assert.deepEqual(data.labels, mem.labels);
  assert.equal(data.meta.modelId, 'synthetic');
  assert.deepEqual((data.meta.extra.synth as any).rank, 5);
  assert.equal(data.meta.classNames.length, 4);
  assert.deepEqual(events, [64, 128, 192, 256, 300]);
});
