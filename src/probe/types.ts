import type { PenaltyChoice } from './penalty.js';

/** Which linear probe trains the head. */
export type ProbeKind = 'softmax' | 'sgd-paper' | 'ridge';

/** The probe kinds, in the order the CLI lists them. */
export const PROBE_KINDS: readonly ProbeKind[] = ['softmax', 'sgd-paper', 'ridge'];

/**
 * A trained linear head: scores = x·W + b for one row x of k features.
 * `weights` is k×classes row-major float64, `bias` has `classes` entries.
 */
export interface LinearModel {
  k: number;
  classes: number;
  /** k×classes row-major. */
  weights: Float64Array;
  /** One per class. */
  bias: Float64Array;
}

/** What a probe scored on a test set. */
export interface ProbeEvaluation {
  /** Fraction of test rows whose arg-max score is their label, in [0, 1]. */
  accuracy: number;
  /** Accuracy per class (NaN for a class absent from the test labels). */
  perClassAccuracy: Float64Array;
  /** Predicted class per test row. */
  predictions: Int32Array;
}

/** One probe's outcome, as the sweep and CLI record it. */
export interface ProbeResult {
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  /** Test accuracy per class, length = number of classes. */
  perClassAccuracy: Float64Array;
  /** Neurons used (pick order) for neuron selections; absent for projections. */
  indices?: Int32Array;
  /** Number of features the probe saw. */
  k: number;
  /** k / d. */
  fraction: number;
  seed?: number;
  /** Selection method name, e.g. `random`, `pca`. */
  selection: string;
  probe: ProbeKind;
  /** Every hyper-parameter that shaped the fit (penalty, tolerances, iterations used, ...). */
  hyper: Record<string, unknown>;
  /** Wall-clock seconds to fit (selection applied, model trained), excluding test scoring. */
  seconds: number;
  /** Predicted class per test row. */
  predictions?: Int32Array;
  /** How λ was chosen (ridge and softmax): the value, the validation part, the validation curve. */
  penalty?: PenaltyChoice;
}
