import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir, packageRoot } from '../../src/util/paths.js';

test('packageRoot holds package.json and src/', () => {
  const root = packageRoot();
  assert.ok(existsSync(join(root, 'package.json')));
  assert.ok(existsSync(join(root, 'src', 'index.ts')));
});

test('dataDir honours DR_DATA_DIR', () => {
  const before = process.env.DR_DATA_DIR;
  try {
    delete process.env.DR_DATA_DIR;
    assert.equal(dataDir(), join(packageRoot(), 'data'));
    process.env.DR_DATA_DIR = '/tmp/elsewhere';
    assert.equal(dataDir(), '/tmp/elsewhere');
  } finally {
    if (before === undefined) delete process.env.DR_DATA_DIR;
    else process.env.DR_DATA_DIR = before;
  }
});
