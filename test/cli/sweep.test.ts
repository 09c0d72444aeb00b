import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { writeCachePair as writePair } from '../fixtures/summary/files.js';

async function run(argv: string[]): Promise<{ code: number; json: any }> {
  let out = '';
  const code = await main(argv, (s) => { out += s; });
  const last = out.trim().split('\n').pop() ?? '';
  return { code, json: last.startsWith('{') ? JSON.parse(last) : undefined };
}

test('dr sweep writes a resumable results file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-cli-sweep-'));
  try {
    const { train, test: te } = await writePair(dir);
    const out = join(dir, 'res.arrow');
    const args = ['sweep', '--train', train, '--test', te, '--fractions', '0.25,0.5', '--seeds', '1,2', '--out', out, '--json'];
    const a = await run(args);
    assert.equal(a.code, 0);
    assert.equal(a.json.ran, 5);
    assert.equal(a.json.rows, 5);
    const b = await run(args);
    assert.equal(b.json.ran, 0);
    assert.equal(b.json.skipped, 5);
    const c = await run(['sweep', '--train', train, '--test', te, '--fractions', '0.25', '--seeds', '1', '--select', 'random,first', '--probe', 'ridge,softmax', '--out', out, '--json']);
    assert.equal(c.code, 0);
    // new: softmax on random 0.25 s1 and full; first 0.25 and full with ridge and softmax
    assert.equal(c.json.ran, 6);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dr sweep reports bad input as usage errors', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-cli-sweep-'));
  try {
    const { train } = await writePair(dir);
    assert.equal((await run(['sweep', '--train', train, '--test', join(dir, 'missing.arrow'), '--fractions', '0.5', '--out', join(dir, 'o.arrow')])).code, 1, 'a missing file is a file error');
    assert.equal((await run(['sweep', '--train', train, '--test', train, '--fractions', '0.5', '--select', 'bogus', '--out', join(dir, 'o.arrow')])).code, 2);
    assert.equal((await run(['sweep', '--train', train, '--test', train, '--fractions', '0.5'])).code, 2);
    for (const bad of ['', '-1', '1,NaN', 'inf']) {
      assert.equal((await run(['sweep', '--train', train, '--test', train, '--fractions', '0.5', `--l2=${bad}`, '--out', join(dir, 'o.arrow')])).code, 2, `--l2=${bad}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
