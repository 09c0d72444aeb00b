// Deciding whether an existing cache file may stand in for recomputing it.
import { openFeatureCache } from './reader.js';

/**
 * Checks a cache file found where a computation would write it: it must open (footer, schema,
 * metadata, every batch header), hold `expect.n` rows of `expect.d` neurons from the expected
 * model and layer, and its data must match its content checksums (a full read: the file is
 * about to be used anyway). Returns undefined for a good hit, else the reason in words.
 */
export async function verifyCacheHit(path: string, expect: { n: number; d: number; modelId?: string; layer?: string }): Promise<string | undefined> {
  let cache;
  try {
    cache = await openFeatureCache(path);
  } catch (err: any) {
    return err?.message ?? String(err);
  }
  try {
    const m = cache.meta;
    if (m.n !== expect.n || m.d !== expect.d) return `holds n=${m.n}, d=${m.d}; expected n=${expect.n}, d=${expect.d}`;
    if (expect.modelId !== undefined && m.modelId !== expect.modelId) return `model '${m.modelId}', expected '${expect.modelId}'`;
    if (expect.layer !== undefined && m.layer !== expect.layer) return `layer '${m.layer}', expected '${expect.layer}'`;
    if (!m.checksums) return 'it has no content checksums (written by an older version)';
    await cache.verify();
    return undefined;
  } catch (err: any) {
    return err?.message ?? String(err);
  } finally {
    await cache.close();
  }
}
