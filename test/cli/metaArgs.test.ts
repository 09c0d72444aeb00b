import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseMetaPairs } from '../../src/cli/metaArgs.js';

test('known keys set fields, others go to extra, later pairs win', () => {
  const m = parseMetaPairs(['modelId=resnet50', 'layer=avgpool', 'classNames=cat, dog', 'preprocessing={"size":224}', 'source=torch', 'source=torchvision', 'eq=a=b']);
  assert.equal(m.modelId, 'resnet50');
  assert.equal(m.layer, 'avgpool');
  assert.deepEqual(m.classNames, ['cat', 'dog']);
  assert.deepEqual(m.preprocessing, { size: 224 });
  assert.deepEqual(m.extra, { source: 'torchvision', eq: 'a=b' });
  assert.deepEqual(parseMetaPairs(['classNames=["a,b","c"]']).classNames, ['a,b', 'c']);
});

test('malformed pairs are usage errors naming the pair', () => {
  assert.throws(() => parseMetaPairs(['novalue']), /--meta: expected key=value, got 'novalue'/);
  assert.throws(() => parseMetaPairs(['=x']), /expected key=value/);
  assert.throws(() => parseMetaPairs(['preprocessing=[1]']), /--meta preprocessing: expected a JSON object/);
  assert.throws(() => parseMetaPairs(['classNames=[1,2]']), /expected a JSON array of strings/);
  assert.throws(() => parseMetaPairs(['n=5']), /'n' is set by the writer/);
  assert.throws(() => parseMetaPairs(['bad']), (e: Error) => e.name === 'UsageError');
});
