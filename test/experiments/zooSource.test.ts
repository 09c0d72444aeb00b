import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zooFeatureSource, ZOO_LIMITS } from '../../src/experiments/zooSource.js';

test('zoo source lists the models that have model.json, reads manifests, and offers the digits tasks', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-zoo-'));
  try {
    mkdirSync(join(dir, 'resnet'));
    writeFileSync(join(dir, 'resnet', 'model.json'), '{}');
    writeFileSync(join(dir, 'resnet', 'manifest.json'), JSON.stringify({ width: 128, purpose: 'E1 standard', testAccuracy: 0.9, architecture: 'resnet' }));
    mkdirSync(join(dir, 'half-written'));
    const src = await zooFeatureSource({ quick: true, modelsDir: dir });
    assert.deepEqual(src.models(), ['resnet']);
    assert.equal(src.hasModel('half-written'), false);
    assert.deepEqual(src.modelInfo('resnet'), { name: 'resnet', width: 128, purpose: 'E1 standard', pretrainAccuracy: 0.9 });
    const tasks = src.tasks().map((t) => t.id);
    assert.deepEqual(tasks.slice(0, 2), ['digits', 'digits-10shot']);
    assert.ok(tasks.length === 2 || tasks.includes('fashion-shift'));
    assert.deepEqual(src.intermediateLayers('resnet').map((l) => l.layer), ['stem_pool', 'block1_relu', 'block2_relu']);
    await assert.rejects(src.splits('vgg', 'digits'), /no model 'vgg'/);
    assert.ok(ZOO_LIMITS.quick.digitsTrain < ZOO_LIMITS.full.digitsTrain);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
