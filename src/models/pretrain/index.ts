// Public API of src/models/pretrain: named re-exports only.
export { buildZooNetwork, PENULTIMATE_LAYER, CLASSIFIER_LAYER, BN_MOMENTUM } from './architectures.js';
export type { ZooArchitecture, ArchitectureOptions, ZooNetwork } from './architectures.js';
export { crossEntropyLoss, decovPenalty, mrlLoss, createMrlHeads, pgdL2Attack, projectL2Ball } from './losses.js';
export type { MrlHead, PgdOptions } from './losses.js';
export { trainZooNetwork, evaluateAccuracy, gatherBatch } from './train.js';
export type { TrainingData, EpochReport, TrainOptions, TrainedNetwork } from './train.js';
export { ZOO_SPECS, ZOO_PGD, ZOO_PGD_EVAL, ZOO_BASE_WIDTH, ZOO_EPOCHS, ZOO_ADVERSARIAL_EPOCHS, ZOO_WIDTHS, widthModelName, zooSpec } from './zooSpecs.js';
export type { ZooModelSpec, ZooLoss, ZooManifest } from './zooSpecs.js';
export { pretrainZooModel, pretrainSubset, readZooIndex, rebuildZooIndex, zooIndexEntry, zooDir } from './pretrainZoo.js';
export type { PretrainOptions, ZooIndexEntry } from './pretrainZoo.js';
export { saveLayersModelToDir, MODEL_JSON, WEIGHTS_BIN, MANIFEST_JSON } from './saveModel.js';
export { writeFileAtomic as writeZooFileAtomic } from '../../util/atomicWrite.js';
export { forwardFlopsPerImage } from './flops.js';
export { initTrainingBackend, registerWasmConvGradients } from './trainingBackend.js';
export type { TrainingBackendName } from './trainingBackend.js';
export { measureZooTable } from './zooTable.js';
export type { ZooTableOptions } from './zooTable.js';
