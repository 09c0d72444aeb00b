// Public API of src/models: named re-exports only.
export * from './pretrain/index.js';
export { completeExtractor, sameHeads, type FeatureExtractor, type ImageBatch, type ModelFormat, type ExtractorCore, type ExtractorHead, type ExtraLayer, type TfjsExtractorOptions } from './extractor.js';
export { loadFeatureExtractor, resolveModelSource, type LoadExtractorOptions, type ResolvedModelSource } from './load.js';
export { extractFeatures, extractFeaturesDetailed, type ExtractFeaturesOptions, type ExtractFeaturesResult } from './extractFeatures.js';
export { readShardedCache, parseShard, shardRange, shardFileName, listShardFiles, isCompleteShardDir, type ShardSpec } from './shards.js';
export {
  PREPROCESS_PRESETS,
  PREPROCESS_PRESET_NAMES,
  resolvePreprocess,
  preprocessImages,
  preprocessForInputShape,
  type PreprocessSpec,
  type TensorLayout,
} from './preprocess.js';
export { fileModelHandler, readTfjsModelJson, sha256Hex as modelWeightsSha256 } from './tfjsFiles.js';
export { layersExtractor, defaultLayersFeatureLayer, PENULTIMATE_LAYER_NAME, type LayersExtractorOptions } from './tfjsLayers.js';
export { graphExtractor, type GraphExtractorOptions } from './tfjsGraph.js';
export { onnxExtractor, type OnnxProviderChoice, type OnnxExtractorOptions } from './onnxExtractor.js';
export { encodeOnnxGraph, addOnnxGraphOutputs, onnxGraphNames, onnxFloat, onnxFloats, type OnnxGraphSpec, type OnnxNode, type OnnxInitializer } from '../util/onnxProto.js';
export { readModelRegistry, ensureRegistryModel, registryModelDirs, downloadModelFiles, defaultRegistryPath, type RegistryModel } from './registry.js';
export { useTfBackend, TF_BACKEND_CHOICES, type TfBackendChoice } from './tfRuntime.js';
export {
  readPretrainedCatalogue, findPretrainedModel, ensurePretrainedModel, decodePretrainedModel, verifyPretrainedFolder, pretrainedStatus, pretrainedDir, pretrainedManifest,
  type PretrainedModel, type PretrainedCatalogue, type PretrainedStatus,
} from './pretrained.js';
export { decodeWeightBundle, decodeModelBundle, findNsfwjsPackage, nsfwjsPackageDirs, NSFWJS_VERSION } from './nsfwjsBundle.js';
export { loadLayersModelAtSize, loadGraphModelAtSize, rewriteLayersTopology, rewriteGraphTopology, type InputSizeRewrite, type ModelArtifactsInMemory } from './inputSize.js';
export { ExtractionPool, defaultExtractionWorkers, type WorkerModelInfo } from './workerPool.js';
export { listModels, type ModelListing } from './modelList.js';
