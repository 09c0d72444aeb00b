import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFeatureExtractor } from '../../../src/models/load.js';
import { loadMnistDigits } from '../../../src/datasets/mnistDigits.js';
import { deadUnitStats } from '../../../src/summary/deadUnits.js';
import { ZOO_SPECS } from '../../../src/models/pretrain/zooSpecs.js';
import { dataDir } from '../../../src/util/paths.js';

/** Images of the mnist-digits test split used (the first rows of the split are a seeded random sample). */
const IMAGES = 300;
/** The target: at most 2% zero-variance or near-constant units in every zoo model. */
const MAX_DEAD_SHARE = 0.02;

const zoo = join(dataDir(), 'models');
const committed = ZOO_SPECS.map((s) => s.name).filter((name) => existsSync(join(zoo, name, 'manifest.json')));

test(`every committed zoo model has ≤ ${100 * MAX_DEAD_SHARE}% dead units on ${IMAGES} mnist-digits test images`, { skip: committed.length ? false : 'no zoo model committed in data/models' }, async () => {
  const digits = await loadMnistDigits('test');
  const n = Math.min(IMAGES, digits.n);
  const batch = { images: digits.images.subarray(0, n * 784), n, height: 28, width: 28, channels: 1 };
  const report: string[] = [];
  for (const name of committed) {
    const manifest = JSON.parse(readFileSync(join(zoo, name, 'manifest.json'), 'utf8')) as { width: number };
    const extractor = await loadFeatureExtractor(name, { zooDir: zoo, backend: 'wasm' });
    try {
      assert.equal(extractor.d, manifest.width, `${name}: feature width`);
      const stats = deadUnitStats({ data: await extractor.extract(batch), n, d: extractor.d });
      report.push(`${name} ${stats.dead}/${stats.d}`);
      assert.ok(stats.deadShare <= MAX_DEAD_SHARE, `${name}: ${stats.zeroVariance} zero-variance + ${stats.nearConstant} near-constant of ${stats.d} units (${(100 * stats.deadShare).toFixed(1)}%)`);
    } finally {
      await extractor.dispose();
    }
  }
  assert.equal(report.length, committed.length, report.join(', '));
});
