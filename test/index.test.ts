import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as api from '../src/index.js';
import { packageRoot } from '../src/util/paths.js';

const root = packageRoot();
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

test('every dr.NAME a notebook uses is exported by the curated public API', () => {
  const used = new Set<string>();
  for (const name of readdirSync(join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb'))) {
    const nb = JSON.parse(readFileSync(join(root, 'notebooks', name), 'utf8'));
    for (const cell of nb.cells) {
      if (cell.cell_type !== 'code') continue;
      const src = Array.isArray(cell.source) ? cell.source.join('') : String(cell.source);
      // `dr.` not after a dot: the package namespace, not a field such as `e1.tables.dr`.
      for (const m of src.matchAll(/(?<![.\w$])dr\.([A-Za-z_$][\w$]*)/g)) used.add(m[1]);
    }
  }
  used.delete('NotebookContextOptions'); // a type: check-notebooks type-checks it
  assert.ok(used.size > 20, `only ${used.size} names found: the scan is broken`);
  const missing = [...used].filter((n) => (api as Record<string, unknown>)[n] === undefined);
  assert.deepEqual(missing, []);
});

test('the public API is curated: no test, bench or low-level kernel names at the top level', () => {
  const names = Object.keys(api);
  for (const internal of ['encodeTar', 'timeCkaGrid', 'resnetShaped', 'choleskyFactor', 'gatherColumns', 'referenceLinalg', 'minimizeLbfgs']) {
    assert.ok(!names.includes(internal), `${internal} is internal: reach it by subpath`);
  }
  assert.ok(names.length < 100, `${names.length} top-level names`);
});

test('each stage folder is a package subpath whose index resolves (self-reference by package name)', async () => {
  const stages = Object.keys(pkg.exports).filter((k) => k !== '.' && k !== './package.json');
  const folders = readdirSync(join(root, 'src'), { withFileTypes: true }).filter((e) => e.isDirectory() && readdirSync(join(root, 'src', e.name)).includes('index.ts')).map((e) => `./${e.name}`);
  assert.deepEqual(stages.sort(), folders.sort());
  for (const stage of stages) {
    const specifier: string = `${pkg.name}/${stage.slice(2)}`;
    const mod = (await import(specifier)) as Record<string, unknown>;
    assert.ok(Object.keys(mod).length > 0, `${specifier} exports nothing`);
  }
  const probe = (await import(`${pkg.name}/probe` as string)) as Record<string, unknown>;
  assert.equal(probe.runProbe, api.runProbe, 'the subpath and the top level are the same module');
  assert.equal(typeof probe.minimizeLbfgs, 'function');
});
