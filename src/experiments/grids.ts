import { paperDeltaSweep } from '../summary/deltas.js';
import type { ExperimentGrid } from './types.js';
import { PROBE_DEFAULTS } from '../probe/defaults.js';

/** The paper's main fraction grid (E1, without the full layer, which is always added). */
export const PAPER_FRACTIONS = [0.0005, 0.001, 0.002, 0.003, 0.004, 0.005, 0.01, 0.02, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.8, 0.9];

/** δ values of every DR curve: the paper's sweep plus 0.9 (Table 1). */
export function gridDeltas(): number[] {
  return [...new Set([...paperDeltaSweep(), 0.9])].sort((a, b) => a - b);
}

/**
 * `--quick`: 7 fractions up to 0.5 (0.8 is left out: on the real 1792-wide layer its ten k×k
 * eigendecompositions cost most of the run), 10 seeds (enough for the verdicts' intervals), ridge probes (PROBE_DEFAULTS.quickProbe, the fast option: closed form
 * from one Gram, the whole quick run fits in minutes); full: the paper's 21 fractions, seeds 1–5, softmax
 * probes (PROBE_DEFAULTS.probe, L-BFGS to convergence). Both choose λ on validation data (PROBE_DEFAULTS.l2).
 * @example
 * ```ts
 * const grid = defaultGrid(true); // the quick grid: fractions, seeds, probe
 * ```
 */
export function defaultGrid(quick: boolean): ExperimentGrid {
  return quick
    ? { fractions: [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5], seeds: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], probe: PROBE_DEFAULTS.quickProbe, deltas: gridDeltas(), ckaRows: 1000 }
    : { fractions: PAPER_FRACTIONS, seeds: [1, 2, 3, 4, 5], probe: PROBE_DEFAULTS.probe, deltas: gridDeltas(), ckaRows: 1000 };
}
