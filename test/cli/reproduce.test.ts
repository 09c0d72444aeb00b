import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';

async function run(argv: string[]): Promise<{ code: number; json: any }> {
  let out = '';
  const code = await main(argv, (s) => { out += s; });
  const last = out.trim().split('\n').pop() ?? '';
  return { code, json: last.startsWith('{') ? JSON.parse(last) : undefined };
}

test('dr reproduce E4 on synthetic stand-ins writes the report and names the source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dr-cli-repro-'));
  try {
    const r = await run(['reproduce', 'e4', '--source', 'synthetic', '--quick', '--fractions', '0.25,0.5', '--seeds', '1', '--out', dir, '--no-png', '--json']);
    assert.equal(r.code, 0);
    assert.equal(r.json.sourceKind, 'synthetic');
    assert.deepEqual(r.json.experiments.map((e: any) => e.id), ['E4']);
    assert.ok(existsSync(join(dir, 'report.html')));
    assert.ok(existsSync(join(dir, 'E4', 'dr.arrow')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('dr reproduce rejects unknown experiments', async () => {
  assert.equal((await run(['reproduce', 'E12', '--source', 'synthetic'])).code, 2);
});
