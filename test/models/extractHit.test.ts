import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/index.js';
import { runCli, lastJson } from '../helpers/runCli.js';
import { tempDir } from '../cache/tmpdir.js';
import { tinyDense, writeTinyOnnxModel } from './helpers/tinyModels.js';

test('case 6: extract rebuilds (and says so) a truncated or corrupted cache instead of calling it a hit', async () => {
  const root = tempDir('dr-extract-hit-');
  await writeTinyOnnxModel(join(root, 'tiny.onnx'), tinyDense(28, 28, 1, 7, 10, 73));
  const args = ['extract', '--model', join(root, 'tiny.onnx'), '--layer', 'features', '--onnx-provider', 'cpu', '--dataset', 'mnist-digits', '--split', 'test', '--limit', '10', '--batch', '4', '--cache-dir', join(root, 'cache'), '--json'];
  const first = await runCli(args);
  assert.equal(first.code, 0, first.stderr);
  const path = lastJson(first.stdout).path as string;
  const good = readFileSync(path);
  const want = await readFeatureCache(path);
  assert.equal(lastJson((await runCli(args)).stdout).hit, true);
  const damage: Array<[string, () => void]> = [
    ['truncated', () => truncateSync(path, good.length - 100)],
    ['flipped feature byte', () => { const b = new Uint8Array(good); b[good.length / 2] ^= 4; writeFileSync(path, b); }],
  ];
  for (const [what, harm] of damage) {
    harm();
    const r = await runCli(args);
    assert.equal(r.code, 0, r.stderr);
    const j = lastJson(r.stdout);
    assert.equal(j.hit, false, what);
    assert.ok(j.rebuilt, what);
    assert.match(r.stderr, new RegExp(`extract: rebuilding .*${path.split('/').pop()!.replace(/\./g, '\\.')}: the cached file is not valid`), what);
    const again = await readFeatureCache(path);
    assert.deepEqual(again.features.data, want.features.data, what);
    assert.deepEqual(again.labels, want.labels, what);
  }
});
