import { test } from 'node:test';
import assert from 'node:assert/strict';
import { listModels } from '../../src/models/modelList.js';
import { ZOO_BASE_WIDTH } from '../../src/models/pretrain/zooSpecs.js';

test('listModels lists the real networks, the zoo and the registry with width, source and availability', async () => {
  const models = await listModels();
  const by = (n: string) => models.find((m) => m.name === n);
  assert.deepEqual([by('mobilenetv2-1.4')?.width, by('mobilenetv2-1.0')?.width, by('inceptionv3')?.width], [1792, 1280, 2048]);
  assert.equal(by('mobilenetv2-1.4')?.available, true, 'committed decoded');
  assert.match(by('mobilenetv2-1.0')!.source, /nsfwjs@4\.4\.0 \(MIT\).*ImageNet-initialised.*uint8/);
  assert.equal(by('resnet')?.kind, 'zoo');
  assert.equal(by('resnet')?.width, ZOO_BASE_WIDTH);
  assert.equal(by('resnet-w1024')?.width, 1024);
  assert.equal(by('resnet50')?.kind, 'registry');
  assert.equal(by('resnet50')?.width, 2048);
});
