import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/util/paths.js';

/** numpy reference results written by test/fixtures/linalg/make_fixtures.py. */
export interface NumpyFixtures {
  numpy: string;
  cases: { n: number; m: number; spd: number[]; rhs: number[]; cholesky: number[]; solution: number[]; sym: number[]; eigenvalues: number[]; eigenvectors: number[] }[];
  grams: { n: number; p: number; q: number; x: number[]; y: number[]; gram: number[]; cross: number[]; centredGram: number[]; mean: number[] }[];
}

export function loadNumpyFixtures(): NumpyFixtures {
  return JSON.parse(readFileSync(join(packageRoot(), 'test', 'fixtures', 'linalg', 'numpy_fixtures.json'), 'utf8'));
}

/** Deterministic uniform [0,1) generator (mulberry32) so tests never depend on Math.random. */
export function seededUniform(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Largest |a[i] − b[i]| / max(1, max|b|). */
export function maxRelDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let scale = 1;
  for (let i = 0; i < b.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst / scale;
}
