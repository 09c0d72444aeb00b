import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/**
 * This package's version, read from package.json (one source of truth).
 * @example
 * ```ts
 * console.log(`diffused-redundancy ${PACKAGE_VERSION}`);
 * ```
 */
export const PACKAGE_VERSION: string = (require('../../package.json') as { version: string }).version;
