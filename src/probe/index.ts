// Public API of src/probe: named re-exports only.
export type { ProbeKind, LinearModel, ProbeEvaluation, ProbeResult } from './types.js';
export { PROBE_KINDS } from './types.js';
export { evaluateProbe, evaluatePrefixes, scoreAccuracy } from './evaluate.js';
export type { CentredMoments } from './gram.js';
export { centredMoments, subsetMoments, projectedMoments } from './gram.js';
export type { RidgeOptions } from './ridge.js';
export { DEFAULT_RIDGE_L2, RidgeGram, fitRidgeProbe, fitRidgeFromMoments, fitRidgePrefixes } from './ridge.js';
export type { SoftmaxOptions, SoftmaxFit } from './softmax.js';
export { DEFAULT_SOFTMAX_L2, SoftmaxObjective, fitSoftmaxProbe } from './softmax.js';
export type { SgdPaperOptions, SgdPaperFit } from './sgd-paper.js';
export { fitSgdPaperProbe } from './sgd-paper.js';
export type { LbfgsOptions, LbfgsResult, LbfgsStop, ObjectiveWithGradient } from './lbfgs.js';
export { minimizeLbfgs } from './lbfgs.js';
export type { ProbeSelection, RunProbeOptions } from './run.js';
export { runProbe } from './run.js';
export type { DisjointEnsembleOptions, DisjointEnsembleResult, EnsembleHead } from './ensemble.js';
export { disjointSubsetEnsemble } from './ensemble.js';
