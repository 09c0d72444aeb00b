// Public API of src/summary: named re-exports only.
export { type AccuracyCurve, CURVE_KEYS, accuracyCurves, makeAccuracyCurve } from './curve.js';
export {
  type DrEstimator, type DrEstimate, type DrTableOptions, DR_ESTIMATORS,
  drNearestGrid, drInterpolated, drEstimate, diffusedRedundancy, drFromCurves, drTable,
} from './dr.js';
export { paperDeltaSweep, highDeltaSweep } from './deltas.js';
export { gini, maxMinGap, coefficientOfVariation } from './inequality.js';
export { type PerClassMatrix, FAIRNESS_KEYS, perClassAccuracyMatrix, perClassAccuracyTable, fairnessTable } from './fairness.js';
export { type ParetoPoint, type ParetoOptions, paretoFrontierIndices, paretoFrontier, markParetoFrontier } from './pareto.js';
export { PAPER_NUMBER_FILES, type PaperNumbersName, loadPaperNumbers } from './paperNumbers.js';
export { formatTableText } from './format.js';
export {
  type DeadUnitStats, NEAR_CONSTANT_STD_RTOL, NEAR_CONSTANT_MODE_SHARE, NULL_EIGENVALUE_RTOL,
  deadUnitStats, formatDeadUnits, deadUnitsJson, nullDimension, deadUnitsByModel,
} from './deadUnits.js';
export { type Interval, tInterval, studentTQuantile, studentTCdf, regularizedBeta, logGamma } from './intervals.js';
export {
  type ReplicateView, type BootstrapOptions, OutcomeSet, bootstrapInterval, percentileBounds, quantileSorted, encodeCorrect, decodeCorrect,
} from './bootstrap.js';
export { type Answer, type ClaimRule, type ClaimVerdict, type VerdictBasis, decide, ruleText, formatInterval, countAnswers } from './verdict.js';
