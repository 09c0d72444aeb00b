// Interop with the Python Arrow stack: a cache written here opens in pyarrow (and polars when
// installed) with identical values; a cache written by pyarrow reads here. The Python side is
// scripts/cache_interop_pyarrow.py. Runs when a Python with pyarrow is found (DR_PYARROW_PYTHON,
// else python3 / /usr/bin/python3); skipped with a message otherwise.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { readFeatureCache } from '../../src/cache/reader.js';
import { writeSyntheticCache } from '../../src/cache/synth.js';
import { packageRoot } from '../../src/util/paths.js';
import { tempDir } from './tmpdir.js';

function findPython(): string | undefined {
  const candidates = [process.env.DR_PYARROW_PYTHON, 'python3', '/usr/bin/python3'].filter((c): c is string => Boolean(c));
  for (const py of candidates) {
    const r = spawnSync(py, ['-c', 'import pyarrow, numpy'], { encoding: 'utf8' });
    if (r.status === 0) return py;
  }
  return undefined;
}

const python = findPython();
const skip = python ? false : 'no Python with pyarrow + numpy found (set DR_PYARROW_PYTHON=/path/to/python to run this test)';
const script = join(packageRoot(), 'scripts', 'cache_interop_pyarrow.py');
const sha = (a: ArrayBufferView) => createHash('sha256').update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength)).digest('hex');

function runPython(args: string[]): any {
  const r = spawnSync(python!, [script, ...args], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

test('pyarrow reads our cache with identical values and metadata', { skip }, async () => {
  const dir = tempDir();
  const file = join(dir, 'ours.arrow');
  await writeSyntheticCache(file, { n: 101, d: 17, classes: 3, seed: 4 }, { batchRows: 40 });
  const ours = await readFeatureCache(file);
  const py = runPython(['read', file]);
  assert.deepEqual(py.names, ['features', 'label', 'index']);
  assert.deepEqual(py.types, ['fixed_size_list<item: float not null>[17]', 'int32', 'int32']);
  assert.equal(py.num_record_batches, 3);
  assert.deepEqual([py.n, py.d], [101, 17]);
  assert.deepEqual(py.meta, ours.meta);
  assert.equal(py.features_sha256, sha(ours.features.data));
  assert.equal(py.labels_sha256, sha(ours.labels));
  assert.equal(py.index_sha256, sha(ours.index));
  if (py.polars_rows !== undefined) {
    assert.equal(py.polars_rows, 101);
    assert.equal(py.polars_label_sum, ours.labels.reduce((a, b) => a + b, 0));
  }
});

test('a cache written by pyarrow reads here', { skip }, async () => {
  const dir = tempDir();
  const file = join(dir, 'py.arrow');
  runPython(['write', file, '23', '5']);
  const c = await readFeatureCache(file);
  assert.deepEqual([c.features.n, c.features.d], [23, 5]);
  for (let k = 0; k < 23 * 5; k++) assert.equal(c.features.data[k], k / 8 - 3);
  assert.deepEqual(Array.from(c.labels), Array.from({ length: 23 }, (_, i) => i % 3));
  assert.deepEqual(Array.from(c.index), Array.from({ length: 23 }, (_, i) => 2 * i));
  assert.equal(c.meta.modelId, 'pyarrow');
  assert.deepEqual(c.meta.extra, { writer: 'pyarrow' });
});
