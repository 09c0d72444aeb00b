import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { writeResults } from '../fixtures/summary/files.js';

async function run(argv: string[]): Promise<{ code: number; out: string; json: any }> {
  let out = '';
  const code = await main(argv, (s) => { out += s; });
  const last = out.trim().split('\n').pop() ?? '';
  return { code, out, json: last.startsWith('{') ? JSON.parse(last) : undefined };
}

test('dr dr gives DR(δ) per model and dataset with both estimators', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-cli-dr-'));
  try {
    const path = join(dir, 'r.arrow');
    writeResults(path);
    const near = await run(['dr', '--results', path, '--delta', '0.6,0.9', '--estimator', 'nearest', '--json']);
    assert.equal(near.code, 0);
    assert.deepEqual(near.json.rows.map((r: any) => r.dr), [0.9, 0.5]);
    // By default both estimators, named apart (as in the report).
    const both = await run(['dr', '--results', path, '--delta', '0.6,0.9', '--json']);
    assert.deepEqual(both.json.rows.map((r: any) => [r.estimator, r.dr]), [['nearest', 0.9], ['nearest', 0.5], ['interpolated', both.json.rows[2].dr], ['interpolated', both.json.rows[3].dr]]);
    assert.deepEqual(both.json.estimator, ['nearest', 'interpolated']);
    // mean ratios: 0.6 at f=0.1, 0.9 at f=0.5 → interpolated δ=0.75: f = 0.1 + 0.15/0.3·0.4 = 0.3
    const interp = await run(['dr', '--results', path, '--delta', '0.75', '--estimator', 'interpolated', '--json']);
    assert.ok(Math.abs(interp.json.rows[0].dr - 0.7) < 1e-12);
    const sweep = await run(['dr', '--results', path, '--delta', 'paper', '--estimator', 'nearest', '--json']);
    assert.equal(sweep.json.rows.length, 29);
    const human = await run(['dr', '--results', path]);
    assert.match(human.out, /delta\s+estimator\s+dr/);
    assert.equal((await run(['dr', '--results', path, '--delta', 'abc'])).code, 2);
    // A missing file is a file error (exit 1), not a usage error.
    assert.equal((await run(['dr', '--results', join(dir, 'none.arrow')])).code, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
