import type { Linalg } from '../linalg/types.js';
import type { FeatureBlock } from '../types.js';
import { gatherColumns, gatherRows } from './features.js';
import { centredMoments, NonFiniteFeatureError, projectedMoments, subsetMoments, type CentredMoments } from './gram.js';
import type { L2Setting } from './defaults.js';
import type { RidgeGram } from './ridge.js';
import type { LabelledFeatures, RunProbeOptions, ProbeSelection } from './runOptions.js';
import { complementMoments, planHoldout, type HoldoutPlan } from './validation.js';

/** The validation part restricted to a probe's features. */
export interface SelectedHoldout {
  plan: HoldoutPlan;
  /** Moments of the fit rows (selected features). */
  fit?: CentredMoments;
  /** Held-out rows: the selected features, or all d columns when `valColumns` is set. */
  val?: FeatureBlock;
  valLabels?: Int32Array;
  /**
   * Set for a neuron subset of the shared Gram's held-out rows: the selected features are
   * val[:, valColumns], left to columnsTimes (which gathers only narrow subsets).
   */
  valColumns?: Int32Array;
}

/**
 * What every probe kind's `fit` receives from {@link runProbe}: the checked inputs and the ways to
 * reach the selected training features (gathered at most once, or never when shared moments suffice).
 */
export interface ProbeFitContext {
  /** n×d training features (all d columns) and their labels. */
  train: FeatureBlock;
  trainLabels: Int32Array;
  selection: ProbeSelection;
  linalg: Linalg;
  classes: number;
  standardize: boolean;
  /** The checked penalty setting (a grid sorted descending). */
  l2: L2Setting;
  /** Shared moments of the full training layer, when the caller has them. */
  ridgeGram?: RidgeGram;
  /** The caller's options (kind-specific settings: `softmax`, `sgd`). */
  options: RunProbeOptions;
  /** n×k selected training features (gathered or projected once, then memoised). */
  selectTrain(): Promise<FeatureBlock>;
  /** Drops the memoised selected features (a kind that made its own reordered copy frees the first). */
  forgetSelectedTrain(): void;
  /** The moments of the selected features, from moments `m` of all d columns (no data pass). */
  ofSelection(m: CentredMoments): Promise<CentredMoments>;
  /** Moments of the selected training features (from the shared Gram when there is one). */
  allMoments(): Promise<CentredMoments>;
  /** The validation part (plan, fit moments, held-out rows) restricted to the selected features. */
  selectedHoldout(all: CentredMoments): Promise<SelectedHoldout>;
}

/** X·P (− meanᵀP when the selection centres) for a d×k projection, on linalg.matmul. */
export async function projectFeatures(x: FeatureBlock, sel: ProbeSelection, linalg: Linalg): Promise<FeatureBlock> {
  const k = sel.k;
  const out = await linalg.matmul(x.data, sel.projection!.matrix, x.n, x.d, k);
  if (sel.projection!.mean) {
    const shift = projectionShift(sel);
    for (let i = 0; i < x.n; i++) for (let a = 0; a < k; a++) out[i * k + a] -= shift[a];
  }
  return { data: out, n: x.n, d: k };
}

/** The selected features of `x`: its columns `indices`, or its projection. */
export function selectFeatures(x: FeatureBlock, sel: ProbeSelection, linalg: Linalg): Promise<FeatureBlock> | FeatureBlock {
  return sel.indices ? gatherColumns(x, sel.indices) : projectFeatures(x, sel, linalg);
}

/** meanᵀ·P (length k) for a centring projection, zeros otherwise. */
function projectionShift(sel: ProbeSelection): Float64Array {
  const { matrix, mean } = sel.projection!;
  const k = sel.k;
  const shift = new Float64Array(k);
  if (mean) for (let j = 0; j < sel.d; j++) for (let a = 0; a < k; a++) shift[a] += mean[j] * matrix[j * k + a];
  return shift;
}

/** Builds the {@link ProbeFitContext} of one probe (inputs already checked by runProbe). */
export function probeFitContext(trainSplit: LabelledFeatures, sel: ProbeSelection, opts: RunProbeOptions, linalg: Linalg, classes: number, l2: L2Setting): ProbeFitContext {
  const { features: train, labels: trainLabels } = trainSplit;
  const gram = opts.ridgeGram;
  let selectedMemo: FeatureBlock | undefined;
  const selectTrain = async (): Promise<FeatureBlock> => {
    selectedMemo ??= await selectFeatures(train, sel, linalg);
    return selectedMemo;
  };
  const ofSelection = async (m: CentredMoments): Promise<CentredMoments> => {
    if (sel.indices) return subsetMoments(m, sel.indices);
    const out = await projectedMoments(m, sel.projection!.matrix, sel.k, linalg);
    // Features are (x − mean)·P: shift the projected means the intercept is computed from.
    const shift = projectionShift(sel);
    for (let a = 0; a < sel.k; a++) out.mean[a] -= shift[a];
    return out;
  };
  return {
    train, trainLabels, selection: sel, linalg, classes, standardize: opts.standardize ?? false, l2, ridgeGram: gram, options: opts,
    selectTrain,
    forgetSelectedTrain: () => { selectedMemo = undefined; },
    ofSelection,
    allMoments: async () => {
      if (gram) return ofSelection(gram.moments);
      try {
        return await centredMoments(await selectTrain(), trainLabels, { linalg, classes });
      } catch (e) {
        // Name the layer's neuron, not the column of the gathered copy.
        if (e instanceof NonFiniteFeatureError) {
          throw sel.indices ? new NonFiniteFeatureError(e.what, e.row, sel.indices[e.column], e.value) : new NonFiniteFeatureError(`${e.what} (projected)`, e.row, e.column, e.value, 'component');
        }
        throw e;
      }
    },
    selectedHoldout: async (mAll) => {
      const h = gram?.holdout;
      if (h) {
        if (!h.plan.used) return { plan: h.plan };
        if (sel.indices) return { plan: h.plan, fit: subsetMoments(h.fit!, sel.indices), val: h.val!, valLabels: h.valLabels!, valColumns: sel.indices };
        const val = await projectFeatures(h.val!, sel, linalg);
        // A projection's fit moments are its full moments minus the few held-out rows' (k²·m work),
        // not a second d×d×k product PᵀG_fitP.
        const fit = complementMoments(mAll, await centredMoments(val, h.valLabels!, { linalg, classes }));
        return { plan: h.plan, fit, val, valLabels: h.valLabels! };
      }
      const plan = planHoldout(trainLabels);
      if (!plan.used) return { plan };
      const val = gatherRows(await selectTrain(), plan.val);
      const valLabels = Int32Array.from(plan.val, (i) => trainLabels[i]);
      const fit = complementMoments(mAll, await centredMoments(val, valLabels, { linalg, classes }));
      return { plan, fit, val, valLabels };
    },
  };
}
