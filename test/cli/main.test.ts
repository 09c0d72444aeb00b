import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';
import { PACKAGE_VERSION } from '../../src/version.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, (s) => { out += s; });
  return { code, out };
}

test('dr --help lists the commands', async () => {
  const { code, out } = await run(['--help']);
  assert.equal(code, 0);
  assert.match(out, /usage: dr COMMAND/);
  for (const name of ['info', 'synth', 'export', 'import']) assert.match(out, new RegExp(`\\n  ${name}\\s`));
});

test('dr --version prints package.json\'s version', async () => {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8'));
  const { code, out } = await run(['--version']);
  assert.equal(code, 0);
  assert.equal(out.trim(), pkg.version);
  assert.equal(PACKAGE_VERSION, pkg.version);
});

test('an unknown command exits 2', async () => {
  const { code } = await run(['frobnicate']);
  assert.equal(code, 2);
});

test('every command answers --help with its usage and options', async () => {
  const { out: top } = await run(['--help']);
  const names = [...top.matchAll(/^ {2}(\S+)\s{2,}/gm)].map((m) => m[1]);
  assert.ok(names.length >= 4);
  for (const name of names) {
    const { code, out } = await run([name, '--help']);
    assert.equal(code, 0, name);
    assert.match(out, new RegExp(`usage: dr ${name} `));
    assert.match(out, /--json/);
  }
});
