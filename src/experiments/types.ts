import type { PlotSpec } from '../plots/spec.js';
import type * as aq from 'arquero';
import type { Linalg } from '../linalg/types.js';
import type { ProbeKind } from '../probe/types.js';
import type { ProgressSink } from '../util/progress.js';
import type { FeatureSource } from './source.js';
import type { ClaimVerdict } from '../summary/verdict.js';

/** The paper's experiments (docs/experiments.md). */
export type ExperimentId = 'E1' | 'E2' | 'E3' | 'E4' | 'E5' | 'E6' | 'E7' | 'E8' | 'E9' | 'E10' | 'E11';

/** All experiment ids in order. */
export const EXPERIMENT_IDS: readonly ExperimentId[] = ['E1', 'E2', 'E3', 'E4', 'E5', 'E6', 'E7', 'E8', 'E9', 'E10', 'E11'];

/** A plotly figure as plain data: src/plots' {@link PlotSpec}. */
export type FigureSpec = PlotSpec;

/** One figure of an experiment: a file stem, a caption and the spec. */
export interface ExperimentFigure {
  name: string;
  caption: string;
  spec: FigureSpec;
}

/**
 * A claim of the paper decided on our data with uncertainty (summary/verdict.ts `ClaimVerdict`: effect
 * with a 95% interval, the rule, the three-way answer, a diagnosis and the basis: models, tasks, probe,
 * rows, seeds). `holds` mirrors the answer for older readers (true: holds, false: does not hold, null:
 * inconclusive); `detail` gives the measured numbers in words.
 */
export interface ExperimentVerdict extends ClaimVerdict {
  holds: boolean | null;
  detail: string;
}

/** What one experiment produced. Every table and figure is computed in the run. */
export interface ExperimentOutput {
  id: ExperimentId;
  title: string;
  /** The paper's claim(s) this experiment tests, in words. */
  paperClaim: string;
  tables: Record<string, aq.ColumnTable>;
  figures: ExperimentFigure[];
  verdicts: ExperimentVerdict[];
  /** Deviations from the paper, what stands for what, skipped parts. */
  notes: string[];
  seconds: number;
}

/** The probe grid an experiment run uses. */
export interface ExperimentGrid {
  /** Fractions of the layer (the full layer is always added). */
  fractions: number[];
  /** Seeds of random selections. */
  seeds: number[];
  probe: ProbeKind;
  /** δ values for DR curves. */
  deltas: number[];
  /** Rows of the test split used for CKA (the authors used 1000). */
  ckaRows: number;
}

/** Everything an experiment function needs: where features come from and how hard to work. */
export interface ExperimentContext {
  source: FeatureSource;
  grid: ExperimentGrid;
  quick: boolean;
  linalg: Linalg;
  /** Folder for resumable sweep result files (one per model × task). */
  workDir: string;
  progress: ProgressSink | false;
  log: (line: string) => void;
}
