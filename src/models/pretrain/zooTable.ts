import * as aq from 'arquero';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFeatureExtractor } from '../load.js';
import { loadMnistDigits } from '../../datasets/mnistDigits.js';
import { deadUnitStats } from '../../summary/deadUnits.js';
import { Progress, stderrProgress, type ProgressSink } from '../../util/progress.js';
import { MANIFEST_JSON } from './saveModel.js';
import type { ZooManifest } from './zooSpecs.js';

/** Options of {@link measureZooTable}. */
export interface ZooTableOptions {
  /** Folder of the zoo (data/models). */
  zooDir: string;
  /** Models, in table order; those without a manifest are left out. */
  names: string[];
  /** First rows of the mnist-digits test split whose penultimate features are counted (default 2,000: the whole split). */
  images?: number;
  progress?: ProgressSink;
}

/**
 * The zoo table of the README, one row per trained model: architecture, penultimate width, loss,
 * pre-training data, epochs, Fashion-MNIST test accuracy, robust accuracy (adversarial models),
 * dead-unit share of the penultimate layer on mnist-digits test images (zero-variance + near-constant,
 * src/summary/deadUnits.ts, measured here by extracting the features), training seconds and the load
 * average when training ended. Everything but the dead units is read from the manifests.
 */
export async function measureZooTable(opts: ZooTableOptions): Promise<aq.ColumnTable> {
  const names = opts.names.filter((n) => existsSync(join(opts.zooDir, n, MANIFEST_JSON)));
  const digits = await loadMnistDigits('test');
  const n = Math.min(opts.images ?? digits.n, digits.n);
  const size = digits.height * digits.width * digits.channels;
  const batch = { images: digits.images.subarray(0, n * size), n, height: digits.height, width: digits.width, channels: digits.channels };
  const progress = new Progress('zoo dead units', names.length, opts.progress ?? stderrProgress(), 'models');
  const rows: Record<string, unknown>[] = [];
  for (const name of names) {
    const m = JSON.parse(readFileSync(join(opts.zooDir, name, MANIFEST_JSON), 'utf8')) as ZooManifest;
    const extractor = await loadFeatureExtractor(name, { zooDir: opts.zooDir, backend: 'wasm' });
    let stats;
    try {
      stats = deadUnitStats({ data: await extractor.extract(batch), n, d: extractor.d });
    } finally {
      await extractor.dispose();
    }
    const loss = m.loss.kind === 'pgd-l2' ? `pgd-l2 (ε ${m.loss.eps}, ${m.loss.steps} steps)` : m.loss.kind === 'decov' ? `decov (α ${m.loss.alpha})` : m.loss.kind;
    rows.push({
      model: `\`${name}\``, architecture: m.architecture, width: m.width,
      loss: m.dropout > 0 ? `${loss} + dropout ${m.dropout}` : loss,
      data: `${Math.round(100 * m.pretrainData.fraction)}% / ${m.classes.length} classes`, epochs: m.epochs,
      'test acc.': `${(100 * m.testAccuracy).toFixed(2)}%`,
      'robust acc.': m.robustAccuracy ? `${(100 * m.robustAccuracy.accuracy).toFixed(1)}% (L2 ε ${m.robustAccuracy.eps}, ${m.robustAccuracy.steps}-step PGD, ${m.robustAccuracy.images} img)` : '',
      'dead units': `${stats.dead} (${(100 * stats.deadShare).toFixed(1)}%)`,
      'train s': Math.round(m.trainSeconds),
      'load at end': m.trainLoadAverage ? m.trainLoadAverage.after.slice(0, 3).map((v) => v.toFixed(1)).join(' / ') : '',
    });
    progress.tick();
  }
  return aq.from(rows);
}
