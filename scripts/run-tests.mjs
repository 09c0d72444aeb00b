#!/usr/bin/env node
// The test command: unit tests with Node's runner over the compiled tests, a tsc type-check of every
// notebook's code cells, then the notebooks (executed headless through Jupyter + tslab, their HTML
// exports and a live notebook server checked in headless Chromium) when Jupyter is present. Under
// CI=true a missing Jupyter or Chromium is a failure, not a skip.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);

function findTests(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...findTests(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const testDir = join(root, 'dist', 'test');
let files = existsSync(testDir) ? findTests(testDir) : [];
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (!files.length) {
  console.error('run-tests: no compiled tests under dist/test (run `npm run build` first)');
  process.exit(1);
}
const unit = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit', cwd: root });
if (unit.status !== 0) process.exit(unit.status ?? 1);

// Every notebook's code cells type-check against the package's types (tsc only: needs no Jupyter).
if (!only.length) {
  const check = spawnSync(process.execPath, [join(root, 'scripts', 'check-notebooks.mjs')], { stdio: 'inherit', cwd: root });
  if (check.status !== 0) process.exit(check.status ?? 1);
}

if (!only.length && process.env.DR_SKIP_NOTEBOOKS !== '1' && existsSync(join(root, 'scripts', 'run-notebooks.mjs'))) {
  const nb = spawnSync(process.execPath, [join(root, 'scripts', 'run-notebooks.mjs'), '--test'], { stdio: 'inherit', cwd: root });
  process.exit(nb.status ?? 1);
}
