// Public API of src/sweep: named re-exports only.
export { tableToArrowBytes, writeArrowTable, writeCsvTable, readArrowTable } from './arrowIo.js';
export {
  runSweep, readSweepResults, sweepConfigKey, SWEEP_COLUMNS, SWEEP_SELECTIONS,
  type SweepOptions, type SweepOutcome, type SweepSplit, type SweepSelection,
} from './engine.js';
