// Public API: named re-exports only. Each folder's index.ts lists what it exports.
export * from './types.js';
export * from './util/errors.js';
export * from './util/progress.js';
export * from './util/paths.js';
export { PACKAGE_VERSION } from './version.js';
export * from './linalg/index.js';
export * from './backend/index.js';
export * from './cache/index.js';
export * from './select/index.js';
export * from './probe/index.js';
export * from './similarity/index.js';
export * from './sweep/index.js';
export * from './summary/index.js';
export * from './datasets/index.js';
export * from './models/index.js';
export * from './experiments/index.js';
export * from './plots/index.js';
