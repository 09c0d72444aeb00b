// Public API of src/linalg: named re-exports only.
export type { Linalg } from './types.js';
export { checkShape } from './types.js';
export { referenceLinalg, crossProductSync } from './reference.js';
export { choleskyFactor, choleskySolve, solveSpd, solveLowerInPlace, solveLowerTransposedInPlace } from './cholesky.js';
export { symmetricEigen } from './eigen.js';
export type { SymmetricEigen } from './eigen.js';
export { centredGram, gramInBlocks } from './centred.js';
export type { CentredGram, GramBlockOptions } from './centred.js';
export { defaultLinalg, chooseLinalg, getLinalg, probeLinalgs, typescriptLinalg, LINALG_NAMES, LINALG_PREFERENCE } from './select.js';
export type { LinalgName } from './select.js';
export { createOnnxLinalg } from './onnx.js';
export type { OnnxLinalgOptions } from './onnx.js';
export { createWasmLinalg } from './wasm.js';
export type { WasmLinalgOptions } from './wasm.js';
export { createWorkersLinalg } from './workers.js';
export type { WorkersLinalgOptions } from './workers.js';
