// Train and test caches must describe the same representation: same model, layer, inputs.
import { OptionError } from '../util/errors.js';
import { canonicalJson } from './key.js';
import type { CacheMeta } from './meta.js';

/** The metadata fields {@link pairDifferences} compares (a subset of {@link CacheMeta}). */
export type PairMeta = Partial<Pick<CacheMeta, 'modelId' | 'weightsHash' | 'layer' | 'datasetId' | 'classNames' | 'preprocessing' | 'd' | 'split'>>;

/** Fields that must agree between a train and a test cache, in the order differences are listed. */
export const PAIR_FIELDS = ['d', 'modelId', 'weightsHash', 'layer', 'datasetId', 'classNames', 'preprocessing'] as const;

function show(v: unknown): string {
  return v === undefined || v === '' ? "''" : typeof v === 'string' ? `'${v}'` : canonicalJson(v);
}

/**
 * The dataset a cache comes from, without its own split: a split loaded by name is recorded as
 * `datasetId: 'mnist-digits/train'` with `split: 'train[:1000]'`, and its test partner as
 * `'mnist-digits/test'`; both are the dataset `mnist-digits`.
 */
export function datasetFamily(meta: PairMeta): string | undefined {
  const id = meta.datasetId;
  const split = meta.split?.replace(/\[.*$/, '');
  return id !== undefined && split && id.endsWith(`/${split}`) ? id.slice(0, id.length - split.length - 1) : id;
}

/**
 * Differences between two caches that make a probe trained on one and tested on the other
 * meaningless: d, model id, weights hash, layer, dataset, class names, preprocessing (which holds
 * the input size and source image size). One line per differing field, `field: A vs B`.
 */
export function pairDifferences(train: PairMeta, test: PairMeta): string[] {
  const out: string[] = [];
  for (const f of PAIR_FIELDS) {
    const a = f === 'datasetId' ? datasetFamily(train) : train[f];
    const b = f === 'datasetId' ? datasetFamily(test) : test[f];
    const same = f === 'd' ? a === b : canonicalJson(a ?? (f === 'classNames' ? [] : f === 'preprocessing' ? {} : '')) === canonicalJson(b ?? (f === 'classNames' ? [] : f === 'preprocessing' ? {} : ''));
    if (!same) out.push(`${f}: ${show(a)} vs ${show(b)}`);
  }
  return out;
}

/**
 * Throws an {@link OptionError} of option `train` listing every difference ({@link pairDifferences})
 * between the train and test caches (files `trainFile`, `testFile`), unless `allowMismatch` (a
 * deliberate cross-model test); d must agree always. Returns the differences (to be recorded with
 * the result). The message names the options `test` and `allowMismatch` in backticks, which the
 * CLI shows as `--test` and `--allow-mismatch`.
 */
export function checkCompatiblePair(trainFile: string, train: PairMeta, testFile: string, test: PairMeta, allowMismatch = false): string[] {
  const diffs = pairDifferences(train, test);
  if (train.d !== undefined && test.d !== undefined && train.d !== test.d) {
    throw new OptionError('train', `${trainFile} has d=${train.d} features but \`test\` ${testFile} has d=${test.d}: they must come from the same layer`);
  }
  if (diffs.length && !allowMismatch) {
    throw new OptionError('train', `${trainFile} and \`test\` ${testFile} are not from the same representation (train vs test): ${diffs.join('; ')}. Use \`allowMismatch\` for a deliberate cross test (it is recorded in the result)`);
  }
  return diffs;
}
