import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { encodeIdx } from '../../src/datasets/idx.js';
import { lastJson, runCli } from '../helpers/runCli.js';

/** A 40-image miniature of Fashion-MNIST in the official file names. */
function miniFashion(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fm-cli-'));
  const img = (k: number) => gzipSync(encodeIdx('uint8', [k, 28, 28], Array.from({ length: k * 784 }, (_, i) => ((i % 28) * 9 + Math.floor(i / 784) * 25) % 256)));
  const lab = (k: number) => gzipSync(encodeIdx('uint8', [k], Array.from({ length: k }, (_, i) => i % 10)));
  writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), img(40));
  writeFileSync(join(dir, 'train-labels-idx1-ubyte.gz'), lab(40));
  writeFileSync(join(dir, 't10k-images-idx3-ubyte.gz'), img(10));
  writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), lab(10));
  return dir;
}

test('dr pretrain --model mlp trains, saves and reports per-epoch progress', async () => {
  const out = mkdtempSync(join(tmpdir(), 'zoo-cli-'));
  const r = await runCli(['pretrain', '--model', 'mlp', '--epochs', '2', '--backend', 'wasm', '--out', out, '--fashion-mnist', miniFashion(), '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /epoch 1\/2 loss [\d.]+ acc [\d.]+% \d+ images\/s .*ETA/);
  const j = lastJson(r.stdout);
  assert.equal(j.models[0].name, 'mlp');
  const m = JSON.parse(readFileSync(join(out, 'mlp', 'manifest.json'), 'utf8'));
  assert.equal(m.epochs, 2);
  assert.equal(m.pretrainData.images, 40);
  assert.ok(existsSync(join(out, 'zoo.json')));
  const again = await runCli(['pretrain', '--model', 'mlp', '--out', out, '--fashion-mnist', miniFashion(), '--skip-existing']);
  assert.match(again.stdout, /mlp: exists, skipped/);
});

test('dr pretrain needs --model or --all and knows the zoo names', async () => {
  let r = await runCli(['pretrain']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /give --model NAME or --all/);
  r = await runCli(['pretrain', '--model', 'resnet152']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--model: expected values from resnet, resnet-l2, vgg, mlp, resnet-mrl/);
});
