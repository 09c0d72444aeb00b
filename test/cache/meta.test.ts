import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CACHE_FORMAT_VERSION, completeCacheMeta, encodeCacheMeta, N_FIELD_WIDTH, nFieldPrefix, parseCacheMeta } from '../../src/cache/meta.js';
import { PACKAGE_VERSION } from '../../src/version.js';

test('completeCacheMeta fills defaults, version, package version and time', () => {
  const m = completeCacheMeta({ modelId: 'm', classNames: ['a', 'b'] }, 8, 3);
  assert.equal(m.formatVersion, CACHE_FORMAT_VERSION);
  assert.equal(m.packageVersion, PACKAGE_VERSION);
  assert.equal(m.d, 8);
  assert.equal(m.n, 3);
  assert.deepEqual(m.classNames, ['a', 'b']);
  assert.deepEqual(m.extra, {});
  assert.ok(!Number.isNaN(Date.parse(m.createdAt)));
});

test('encodeCacheMeta puts a fixed-width n right after the prefix and stays valid JSON', () => {
  const m = completeCacheMeta({ modelId: 'x"y', extra: { note: '"n":null' } }, 4, 0);
  const placeholder = encodeCacheMeta(m, null);
  const final = encodeCacheMeta({ ...m, n: 123456 });
  assert.equal(placeholder.length, final.length, 'same byte length so n can be patched in place');
  assert.ok(placeholder.startsWith(nFieldPrefix() + 'null'));
  assert.equal(final.slice(nFieldPrefix().length, nFieldPrefix().length + N_FIELD_WIDTH), '123456'.padEnd(N_FIELD_WIDTH));
  assert.equal(JSON.parse(placeholder).n, null);
  const parsed = JSON.parse(final);
  assert.equal(parsed.n, 123456);
  assert.equal(parsed.modelId, 'x"y');
  assert.equal(parsed.extra.note, '"n":null');
});

test('parseCacheMeta round-trips and fills missing descriptive fields', () => {
  const m = completeCacheMeta({ modelId: 'm', layer: 'penultimate', preprocessing: { size: 32 } }, 5, 7);
  assert.deepEqual(parseCacheMeta('f.arrow', encodeCacheMeta(m)), m);
  const minimal = parseCacheMeta('f.arrow', JSON.stringify({ formatVersion: CACHE_FORMAT_VERSION, n: 2, d: 3 }));
  assert.equal(minimal.modelId, '');
  assert.deepEqual(minimal.classNames, []);
});

test('parseCacheMeta errors name the file and the problem', () => {
  const f = 'dir/c.arrow';
  assert.throws(() => parseCacheMeta(f, undefined), /dir\/c\.arrow: missing schema metadata key 'diffused_redundancy'/);
  assert.throws(() => parseCacheMeta(f, '{nope'), /dir\/c\.arrow: schema metadata 'diffused_redundancy' is not valid JSON/);
  assert.throws(() => parseCacheMeta(f, '[1]'), /should be a JSON object/);
  assert.throws(() => parseCacheMeta(f, '{"n":1,"d":1}'), /dir\/c\.arrow: cache metadata has no formatVersion \(expected 1\)/);
  assert.throws(() => parseCacheMeta(f, '{"formatVersion":2,"n":1,"d":1}'), /unsupported cache formatVersion 2 \(this package reads version 1\)/);
  assert.throws(() => parseCacheMeta(f, '{"formatVersion":1,"n":-1,"d":1}'), /'n' should be a non-negative integer, got -1/);
  assert.throws(() => parseCacheMeta(f, '{"formatVersion":1,"n":1}'), /'d' should be a positive integer, got undefined/);
  assert.throws(() => parseCacheMeta(f, '{"formatVersion":1,"n":1,"d":1,"classNames":"a"}'), /'classNames' should be an array/);
  assert.throws(() => parseCacheMeta(f, '{"formatVersion":1,"n":1,"d":1,"modelId":3}'), /'modelId' should be a string/);
});
