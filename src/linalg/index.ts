export type { Linalg } from './types.js';
export { checkShape } from './types.js';
export { referenceLinalg, crossProductSync } from './reference.js';
