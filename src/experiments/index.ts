// Public API of src/experiments: named re-exports only.
export {
  EXPERIMENT_IDS, type ExperimentId, type ExperimentContext, type ExperimentGrid, type ExperimentOutput,
  type ExperimentVerdict, type ExperimentFigure,
} from './types.js';
export { type FeatureSource, type TaskInfo, type ModelInfo, type TaskSplits, fewShotRows } from './source.js';
export { zooFeatureSource, ZOO_LIMITS, type ZooLimits, type ZooSourceOptions } from './zooSource.js';
export { pretrainedFeatureSource, combinedFeatureSource, PRETRAINED_LIMITS, type PretrainedLimits, type PretrainedSourceOptions } from './pretrainedSource.js';
export { headlineVerdicts, widthVerdicts } from './realVerdicts.js';
export { syntheticFeatureSource, type SyntheticSourceOptions } from './syntheticSource.js';
export { ZOO_ROLES, MAIN_TASKS, REAL_MODELS } from './roles.js';
export { defaultGrid, PAPER_FRACTIONS } from './grids.js';
export { EXPERIMENTS } from './registry.js';
export { experimentE1 } from './e01.js';
export { experimentE2 } from './e02.js';
export { experimentE3 } from './e03.js';
export { experimentE4 } from './e04.js';
export { experimentE5 } from './e05.js';
export { experimentE6 } from './e06.js';
export { experimentE7 } from './e07.js';
export { experimentE8 } from './e08.js';
export { experimentE9 } from './e09.js';
export { experimentE10 } from './e10.js';
export { experimentE11 } from './e11.js';
export { renderReport as renderReproductionReport, htmlTable as reportHtmlTable, type ReportInfo } from './report.js';
export { reproduce, type ReproduceOptions, type ReproduceOutcome } from './reproduce.js';
export { notebookContext, type NotebookContextOptions } from './notebook.js';
