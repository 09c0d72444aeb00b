import { test } from 'node:test';
import { usageMessage } from '../../src/cli/optionFlags.js';
import assert from 'node:assert/strict';
import { checkCompatiblePair, datasetFamily, pairDifferences } from '../../src/cache/compat.js';

const base = { d: 4, modelId: 'tfjs/resnet', weightsHash: 'abc', layer: 'penultimate', classNames: ['0', '1'], preprocessing: { height: 28 } };

test('the train and test splits of one dataset, loaded by name, are one dataset', () => {
  assert.equal(datasetFamily({ datasetId: 'mnist-digits/train', split: 'train[:1500]' }), 'mnist-digits');
  assert.equal(datasetFamily({ datasetId: 'mnist-digits/test', split: 'test' }), 'mnist-digits');
  // An id that does not end in its own split stays as it is.
  assert.equal(datasetFamily({ datasetId: 'mnist-digits/all', split: 'train' }), 'mnist-digits/all');
  const train = { ...base, datasetId: 'mnist-digits/train', split: 'train[:1500]' };
  const testMeta = { ...base, datasetId: 'mnist-digits/test', split: 'test[:500]' };
  assert.deepEqual(pairDifferences(train, testMeta), []);
  assert.deepEqual(checkCompatiblePair('a.arrow', train, 'b.arrow', testMeta), []);
});

test('different datasets, models or preprocessing are refused, listing each difference', () => {
  const train = { ...base, datasetId: 'mnist-digits/train', split: 'train' };
  const other = { ...base, modelId: 'tfjs/vgg', datasetId: 'fashion-mnist/test', split: 'test', preprocessing: { height: 96 } };
  assert.deepEqual(pairDifferences(train, other), [
    "modelId: 'tfjs/resnet' vs 'tfjs/vgg'",
    "datasetId: 'mnist-digits' vs 'fashion-mnist'",
    'preprocessing: {"height":28} vs {"height":96}',
  ]);
  assert.throws(() => checkCompatiblePair('a.arrow', train, 'b.arrow', other), /train: a\.arrow and `test` b\.arrow are not from the same representation.*modelId.*datasetId.*`allowMismatch`/);
  // The CLI shows the options as its flags.
  assert.throws(() => checkCompatiblePair('a.arrow', train, 'b.arrow', other), (err: Error) => /^--train: a\.arrow and --test b\.arrow are not .*--allow-mismatch/.test(usageMessage(err)));
  assert.equal(checkCompatiblePair('a.arrow', train, 'b.arrow', other, true).length, 3);
});
