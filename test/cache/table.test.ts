import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheMetaTable, cacheTable, labelCounts } from '../../src/cache/table.js';
import { completeCacheMeta } from '../../src/cache/meta.js';

const meta = completeCacheMeta({ classNames: ['cat', 'dog'] }, 3, 4);

test('cacheTable has one row per cache row with label, index and class name', () => {
  const t = cacheTable({ labels: Int32Array.of(1, 0, 1, 5), index: Int32Array.of(9, 8, 7, 6), meta });
  assert.equal(t.numRows(), 4);
  assert.deepEqual(t.columnNames(), ['row', 'label', 'index', 'className']);
  assert.deepEqual(t.objects()[0], { row: 0, label: 1, index: 9, className: 'dog' });
  assert.equal(t.get('className', 3), '');
  const grouped = t.groupby('label').count().orderby('label').objects();
  assert.deepEqual(grouped, [{ label: 0, count: 1 }, { label: 1, count: 2 }, { label: 5, count: 1 }]);
});

test('cacheMetaTable lists fields; labelCounts counts per label in order', () => {
  const t = cacheMetaTable(meta);
  assert.equal(t.numRows(), Object.keys(meta).length);
  assert.deepEqual(t.filter((r: any) => r.key === 'd').objects()[0], { key: 'd', value: '3' });
  assert.deepEqual(labelCounts(Int32Array.of(2, 0, 2, 2)), { '0': 1, '2': 3 });
});
