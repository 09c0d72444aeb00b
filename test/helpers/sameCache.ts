import assert from 'node:assert/strict';
import { readFeatureCache } from '../../src/cache/reader.js';

/** Asserts two cache files hold identical features, labels, index and metadata (except createdAt). */
export async function assertSameCache(actualPath: string, expectedPath: string): Promise<void> {
  const b = await readFeatureCache(actualPath);
  const a = await readFeatureCache(expectedPath);
  assert.deepEqual(b.features, a.features);
  assert.deepEqual(b.labels, a.labels);
  assert.deepEqual(b.index, a.index);
  assert.deepEqual({ ...b.meta, createdAt: '' }, { ...a.meta, createdAt: '' });
}
