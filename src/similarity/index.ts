// Public API of src/similarity: named re-exports only.
export { linearCka, hsicTerms, ckaFromTerms, type CkaVariant, type HsicTerms, type LinearCkaOptions } from './linearCka.js';
export { MinibatchCka, minibatchCka, type MinibatchCkaOptions } from './minibatch.js';
export { SubsetCka, type PreparedSubset, type SubsetCkaBuildOptions, type SquaresPrecision } from './subsetCka.js';
export {
  ckaAnalysis,
  ckaPartVsWhole,
  ckaSubsetVsSubset,
  summariseCka,
  CKA_MODE_LABELS,
  subsetCkaFor,
  PAPER_CKA_FRACTIONS,
  PAPER_CKA_SEEDS,
  type CkaAnalysisOptions,
  type CkaRow,
  type CkaMode,
  type CkaSelection,
} from './analyses.js';
export { resolveCentring, accumulatesInFloat64, type Centring } from './moments.js';
