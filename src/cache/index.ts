// Public API of src/cache: named re-exports only.
export { CACHE_FORMAT_VERSION, CACHE_METADATA_KEY, parseCacheMeta, type CacheMeta, type CacheMetaInput } from './meta.js';
export { featureCacheSchema, checkFeatureCacheSchema } from './schema.js';
export { FeatureCacheWriter, writeFeatureCache, defaultBatchRows, type FeatureCacheBatch, type FeatureMatrixInput } from './writer.js';
export {
  FeatureCache,
  openFeatureCache,
  openFeatureCacheBytes,
  withFeatureCache,
  readFeatureCache,
  decodeFeatureCache,
  type FeatureCacheData,
  type FeatureCacheChunk,
  type ReadFeatureCacheOptions,
  cacheVerification,
} from './reader.js';
export { CHECKSUM_ALGORITHM, RunningCrc32, CacheChecksummer, checksumMismatches, type CacheChecksums } from './checksum.js';
export { checkBatchValues, checkLabelValues, firstNonFinite, firstBadLabel } from './validate.js';
export { pairDifferences, checkCompatiblePair, datasetFamily, PAIR_FIELDS, type PairMeta } from './compat.js';
export { verifyCacheHit } from './verifyHit.js';
export { cacheTable, cacheMetaTable, labelCounts } from './table.js';
export { cacheKey, cachePath, canonicalJson, type CacheKey, type CacheKeyInput } from './key.js';
export { writeNpy, readNpy, readNpyHeader, readNpyFeatures, readNpyLabels, NpyWriter, encodeNpyHeader, type NpyArray, type NpyHeader } from './npy.js';
export { float16BitsToFloat32, float16ArrayToFloat32 } from './float16.js';
export {
  synthesizeFeatures,
  synthesizeFeatureBatches,
  writeSyntheticCache,
  resolveSynthOptions,
  syntheticCacheMeta,
  type SynthOptions,
  type ResolvedSynthOptions,
} from './synth.js';
export { exportFeatureCache, importFeatureCache, exportPaths, readMetaJson, type ImportSources } from './exchange.js';
