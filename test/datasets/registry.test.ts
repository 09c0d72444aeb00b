import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset, parseDatasetName, listDatasets } from '../../src/datasets/registry.js';

test('dataset names and the low-data suffix', () => {
  assert.deepEqual(parseDatasetName('mnist-digits'), { base: 'mnist-digits' });
  assert.deepEqual(parseDatasetName('mnist-digits-10shot'), { base: 'mnist-digits', shots: 10 });
  assert.throws(() => parseDatasetName('imagenet'), /unknown dataset 'imagenet'; known: fashion-mnist/);
});

test('mnist-digits-10shot: 10 training images per class, test unchanged', async () => {
  const train = await loadDataset('mnist-digits-10shot', 'train');
  assert.equal(train.n, 100);
  const counts = new Array(10).fill(0);
  for (const l of train.labels) counts[l]++;
  assert.deepEqual(counts, new Array(10).fill(10));
  assert.equal(train.id, 'mnist-digits-10shot/train');
  const full = await loadDataset('mnist-digits', 'test');
  const low = await loadDataset('mnist-digits-10shot', 'test');
  assert.equal(low.n, full.n);
  assert.deepEqual(low.labels, full.labels);
});

test('missing datasets give a message that says where to put them', async () => {
  await assert.rejects(loadDataset('cifar10', 'test', { root: '/nonexistent/cifar' }), /\/nonexistent\/cifar: no cifar10 binary files/);
  const list = await listDatasets({ cifar10: '/nonexistent' });
  const digits = list.find((d) => d.name === 'mnist-digits')!;
  assert.equal(digits.found, true);
  assert.equal(list.length, 6);
});
