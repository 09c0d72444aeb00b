import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { gini } from '../../src/summary/inequality.js';
import { writeResults } from '../fixtures/summary/files.js';

test('dr fairness summarises per-class accuracy per fraction', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-cli-fair-'));
  try {
    const path = join(dir, 'r.arrow');
    writeResults(path);
    let out = '';
    const code = await main(['fairness', '--results', path, '--per-class', '--json'], (s) => { out += s; });
    assert.equal(code, 0);
    const json = JSON.parse(out.trim().split('\n').pop()!);
    assert.equal(json.rows.length, 3);
    const f01 = json.rows.find((r: any) => r.fraction === 0.1);
    assert.ok(Math.abs(f01.gini - gini([0.4, 0.8])) < 1e-12);
    assert.ok(Math.abs(f01.maxMinGap - 0.4) < 1e-12);
    assert.equal(json.perClass.length, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
