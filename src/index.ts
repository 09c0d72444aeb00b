/**
 * The public API: what the notebooks and users call, by stage of the flow (dataset → extraction →
 * feature cache → selection → probe / similarity → summary → figures). Every other export of a
 * stage is reachable by its subpath (`diffused-redundancy/probe`, `…/linalg`, …; see package.json
 * "exports"), whose `index.ts` lists it.
 */

// Shared types and errors
export type { FeatureBlock } from './types.js';
export { UsageError, OptionError } from './util/errors.js';
export type { ProgressSink } from './util/progress.js';
export { dataDir, packageRoot } from './util/paths.js';
export { PACKAGE_VERSION } from './version.js';

// Linear algebra and TF.js backends
export type { Linalg } from './linalg/types.js';
export type { LinalgNeeds } from './linalg/select.js';
export { defaultLinalg, getLinalg } from './linalg/select.js';
export { setDefaultBackendLog } from './backend/tfBackend.js';

// Datasets, models, extraction
export { listModels } from './models/modelList.js';
export { extractFeatures, extractFeaturesDetailed } from './models/extractFeatures.js';

// Feature cache
export { readFeatureCache } from './cache/reader.js';
export { writeFeatureCache } from './cache/writer.js';
export { importFeatureCache } from './cache/exchange.js';
export { cacheTable } from './cache/table.js';
export { synthesizeFeatures } from './cache/synth.js';

// Selection
export type { Selection, SelectionMethod } from './select/selection.js';
export { selectNeurons, applySelection, SELECTION_METHODS } from './select/selection.js';

// Probes
export type { ProbeKind, ProbeResult, LinearModel } from './probe/types.js';
export type { LabelledFeatures, ProbeSelection, RunProbeOptions } from './probe/runOptions.js';
export type { ProbeSpec } from './probe/registry.js';
export { runProbe } from './probe/run.js';
export { PROBES } from './probe/registry.js';
export { PROBE_DEFAULTS } from './probe/defaults.js';
export { fitRidgeProbe } from './probe/ridge.js';
export { evaluateProbe } from './probe/evaluate.js';
export { disjointSubsetEnsemble } from './probe/ensemble.js';

// Similarity
export { linearCka } from './similarity/linearCka.js';
export { ckaAnalysis, ckaPartVsWhole, ckaSubsetVsSubset, summariseCka } from './similarity/analyses.js';

// Sweeps
export { runSweep, readSweepResults } from './sweep/engine.js';
export { mergeSweepResults } from './sweep/merge.js';

// Summaries
export { accuracyCurves } from './summary/curve.js';
export { drTable, drFromCurves } from './summary/dr.js';
export { paperDeltaSweep, highDeltaSweep } from './summary/deltas.js';
export { fairnessTable, perClassAccuracyTable } from './summary/fairness.js';
export { gini } from './summary/inequality.js';
export { loadPaperNumbers } from './summary/paperNumbers.js';

// Experiments
export type { NotebookContextOptions } from './experiments/notebook.js';
export { notebookContext } from './experiments/notebook.js';
export { defaultGrid } from './experiments/grids.js';
export { experimentE1 } from './experiments/e01.js';
export { experimentE2 } from './experiments/e02.js';
export { experimentE3 } from './experiments/e03.js';
export { experimentE4 } from './experiments/e04.js';
export { experimentE5 } from './experiments/e05.js';
export { experimentE6 } from './experiments/e06.js';
export { experimentE7 } from './experiments/e07.js';
export { experimentE8 } from './experiments/e08.js';
export { experimentE9 } from './experiments/e09.js';
export { experimentE10 } from './experiments/e10.js';
export { experimentE11 } from './experiments/e11.js';
export { reproduce } from './experiments/reproduce.js';

// Figures (plain plotly specs) and notebook display
export type { PlotSpec } from './plots/spec.js';
export { accuracyVsFractionFigure, accuracyVsCostFigure, firstVsRandomFigure, selectionComparisonFigure, widthFigure } from './plots/accuracy.js';
export { ckaFigure } from './plots/cka.js';
export { drCurveFigure } from './plots/dr.js';
export { perClassHeatmapFigure, giniVsAccuracyFigure } from './plots/fairness.js';
export { showFigure, showTable, showNote, showExperimentSummary, notebookProgress } from './plots/notebook.js';
