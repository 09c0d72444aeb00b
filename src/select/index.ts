// Public API of src/select: named re-exports only.
export { SeededRng, splitMix64First } from '../util/random.js';
export { Mt19937, torchRandperm, torchRand, TORCH_RANDPERM_MAX_N } from './torchRandom.js';
export { kFromFraction, randomNeuronIndices, type NeuronRng } from './randomNeurons.js';
export { computePcaBasis, computePcaLowrankBasis, pcaProjectionMatrix, type PcaBasis, type PcaLowrankOptions } from './pca.js';
export { randomProjectionMatrix, type ProjectionKind } from './projection.js';
export {
  selectNeurons,
  applySelection,
  SELECTION_METHODS,
  type Selection,
  type SelectionMethod,
  type SelectOptions,
} from './selection.js';
