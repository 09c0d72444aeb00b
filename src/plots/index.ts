// Public API of src/plots: named re-exports only.
export {
  type PlotSpec, type TableLike, type AxisOptions, type MeanPoint, type SeriesLine, PALETTE,
  rowsOf as plotRows, seriesTraces, baseLayout as plotLayout,
} from './spec.js';
export { type RowFilter, type YColumns, type PaperOverlay, type LinesOptions, linesFigure, filterRowsWhere, paperTraces } from './lines.js';
export {
  type AccuracyFigureOptions, type CostFigureOptions, accuracyVsCostFigure, accuracyVsFractionFigure, accuracyVsNeuronsFigure, widthFigure, firstVsRandomFigure, selectionComparisonFigure,
} from './accuracy.js';
export { type CkaFigureOptions, ckaFigure } from './cka.js';
export { type DrFigureOptions, drCurveFigure } from './dr.js';
export { type HeatmapOptions, type GiniFigureOptions, perClassHeatmapFigure, giniVsAccuracyFigure, PAPER_GINI_RANGE } from './fairness.js';
export { type ParetoFigureOptions, paretoFigure } from './pareto.js';
export {
  type PageFigure, type RenderHtmlOptions, type FigureHtmlOptions, renderHtml, writeHtml, figureHtml, plotlyScriptTag, plotlyBundleSource, plotlyBundlePath,
  plotlyVersion, writePlotlyFile, PLOTLY_FILE,
  scriptJson as plotScriptJson,
} from './html.js';
export {
  type ScreenshotOptions, type DrawnFigure, CHROMIUM_CANDIDATES, findChromium, runChromium, screenshotHtml, renderPng, renderPngSync, dumpDom,
  inspectFigures, figureHasContent, checkHtmlFigures, type CheckFiguresOptions,
} from './chromium.js';
export {
  type NotebookSink, type ShowFigureOptions, type TableHtmlOptions, tslabSink, showFigure, figureOutput, showTable, showNote, tableHtml, resetNotebookState,
  notebookProgress, TRUST_NOTE,
  type ExperimentSummaryLike, experimentSummaryHtml, showExperimentSummary,
} from './notebook.js';
