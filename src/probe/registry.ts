import type { LinearModel, ProbeKind } from './types.js';
import type { PenaltyChoice } from './penalty.js';
import type { ProbeFitContext } from './probeContext.js';
import type { RunProbeOptions } from './runOptions.js';
import { PROBE_DEFAULTS } from './defaults.js';
import { SGD_PAPER_DEFAULTS } from './sgdPaper.js';
import { fitRidgeKind } from './ridgeProbe.js';
import { fitSoftmaxKind } from './softmaxProbe.js';
import { fitSgdPaperKind } from './sgdPaperProbe.js';

/** What a probe kind's fit hands back to {@link runProbe}, which scores it on the test split. */
export interface ProbeFit {
  model: LinearModel;
  /** Every hyper-parameter that shaped the fit; its keys are the kind's {@link ProbeSpec.hyperFields}. */
  hyper: Record<string, unknown>;
  /** How λ was chosen (kinds with `usesPenalty`). */
  penalty?: PenaltyChoice;
}

/** One probe kind: how it fits, its defaults, and what its results hold. */
export interface ProbeSpec {
  kind: ProbeKind;
  /** One line for help texts. */
  description: string;
  /** Whether `l2` (auto, fixed or a grid) applies; sgd-paper has its own weight decay instead. */
  usesPenalty: boolean;
  /** The option of {@link RunProbeOptions} with this kind's own settings (part of a sweep cell's identity). */
  settingsOption?: 'softmax' | 'sgd';
  /** The kind's defaults (the objects stated once in ./defaults.ts and ./sgdPaper.ts, not copies). */
  defaults: Readonly<Record<string, unknown>>;
  /** The keys of `result.hyper`; optional ones (present only in some cases) end in `?`. */
  hyperFields: readonly string[];
  /** Trains the head on the context's selected training features. */
  fit(ctx: ProbeFitContext): Promise<ProbeFit>;
}

/** The penalty's keys in `hyper` (see ./penaltyChoice.ts `penaltyHyper`). */
const PENALTY_FIELDS = ['l2', 'l2Mode', 'validation', 'validationL2', 'validationAccuracy', 'l2Scale', 'validationCriterion?', 'validationSquaredError?'] as const;

/**
 * The probe kinds, keyed by name: `runProbe` is a lookup here, and each kind's defaults and result
 * fields are stated once.
 * @example
 * ```ts
 * const spec = PROBES['softmax'];
 * spec.usesPenalty;          // true: `l2: 'auto'` chooses λ on validation data
 * spec.defaults.gtol;        // the L-BFGS tolerance of the final refit
 * ```
 */
export const PROBES: { readonly [K in ProbeKind]: ProbeSpec } = {
  softmax: {
    kind: 'softmax',
    description: 'multinomial logistic regression (L-BFGS, whitened), λ chosen on validation data',
    usesPenalty: true,
    settingsOption: 'softmax',
    defaults: { ...PROBE_DEFAULTS.softmax, l2: PROBE_DEFAULTS.l2, exponents: PROBE_DEFAULTS.softmaxExponents, search: PROBE_DEFAULTS.softmaxSearch, walk: PROBE_DEFAULTS.softmaxWalk },
    hyperFields: [...PENALTY_FIELDS, 'standardize', 'sklearnC', 'gtol', 'ftol', 'maxIterations', 'iterations', 'evaluations', 'validationIterations', 'stop', 'loss', 'gradInf'],
    fit: fitSoftmaxKind,
  },
  'sgd-paper': {
    kind: 'sgd-paper',
    description: "the paper's recipe: SGD with momentum, weight decay, best epoch on validation",
    usesPenalty: false,
    settingsOption: 'sgd',
    defaults: SGD_PAPER_DEFAULTS,
    hyperFields: ['standardize', 'epochs', 'stepEvery', 'lr', 'momentum', 'weightDecay', 'batchSize', 'valFraction', 'valSeed', 'evalEvery', 'seed', 'bestEpoch', 'bestValAccuracy'],
    fit: fitSgdPaperKind,
  },
  ridge: {
    kind: 'ridge',
    description: 'one-vs-rest least squares on ±1 targets (the fast option), λ chosen on validation data',
    usesPenalty: true,
    defaults: { l2: PROBE_DEFAULTS.l2, exponents: PROBE_DEFAULTS.ridgeExponents },
    hyperFields: [...PENALTY_FIELDS, 'standardize', 'objective'],
    fit: fitRidgeKind,
  },
};
