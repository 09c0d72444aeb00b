import type { Linalg } from '../linalg/types.js';
import type { FeatureBlock } from '../types.js';
import type { L2Setting } from './defaults.js';
import type { RidgeGram } from './ridge.js';
import type { SoftmaxOptions } from './softmax.js';
import type { SgdPaperOptions } from './sgdPaper.js';
import type { ProbeKind } from './types.js';

/**
 * The part of src/select's `Selection` a probe needs: either neuron `indices` (pick order) or a
 * d×k float32 `projection` (optionally applied to x − mean, as `centre: true` selections do).
 */
export interface ProbeSelection {
  method: string;
  k: number;
  d: number;
  fraction: number;
  seed?: number;
  rng?: string;
  indices?: Int32Array;
  projection?: { matrix: Float32Array; mean?: Float32Array };
}

/** One split's features and labels: what `readFeatureCache` returns, or any `{ features, labels }`. */
export interface LabelledFeatures {
  /** n×d row-major Float32Array block. */
  features: FeatureBlock;
  /** n class indices. */
  labels: Int32Array;
}

/** Options of {@link runProbe}: the probe kind and its settings (the data and the selection are its arguments). */
export interface RunProbeOptions {
  /** Probe kind (default {@link PROBE_DEFAULTS}.probe: softmax). */
  probe?: ProbeKind;
  /**
   * Penalty of ridge / softmax (their docs give λ's scale); ignored by sgd-paper (see weightDecay).
   * `'auto'` (default, {@link PROBE_DEFAULTS}): chosen on a held-out 10% of the training rows from
   * a grid relative to the features' variance, then refit on all training rows; a number fixes λ;
   * a list is the grid to choose from. The choice and the validation curve are in `result.penalty`.
   */
  l2?: L2Setting;
  /** Standardise the selected features with training statistics. */
  standardize?: boolean;
  linalg?: Linalg;
  /** Default: max label over train and test + 1. */
  classes?: number;
  /**
   * Shared moments of the full training layer: ridge then never touches the rows, softmax reuses
   * them to precondition (and reuses the factor of a larger nested subset: run seeds' subsets largest first).
   */
  ridgeGram?: RidgeGram;
  /** Extra softmax settings (tolerances, iterations, warm start of the final fit). */
  softmax?: Omit<SoftmaxOptions, 'l2' | 'standardize' | 'linalg' | 'classes' | 'moments'>;
  /** sgd-paper settings (epochs, weightDecay, seed, ...). */
  sgd?: Omit<SgdPaperOptions, 'linalg' | 'classes'>;
  /** Keep per-row test predictions in the result. */
  keepPredictions?: boolean;
}
