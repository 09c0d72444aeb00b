import { bootstrapClaim, claimData, drOfView, meanOf } from './claims.js';
import { availableModels, fmt, spearman } from './common.js';
import { compareModels } from './compareModels.js';
import { ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/** Dropout rate encoded in a zoo model name (`resnet-dropout0.5` → 0.5; the plain model → 0). */
function dropoutRate(model: string): number {
  const m = /dropout([0-9.]+)$/.exec(model);
  return m ? Number(m[1]) : model === ZOO_ROLES.standard ? 0 : NaN;
}

/**
 * E11 (appendix): pre-training regularisers on the penultimate layer: dropout at several rates and
 * DeCov, against the plain model.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e11 = await experimentE11(ctx);
 * showExperimentSummary(e11);
 * ```
 */
export async function experimentE11(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { models, missingNote } = availableModels(ctx, ZOO_ROLES.regularisers);
  const cmp = await compareModels(ctx, 'E11', models);
  const verdicts: ExperimentVerdict[] = [];
  const data = await claimData(ctx, cmp.results);
  const dropoutModels = models.filter((m) => Number.isFinite(dropoutRate(m)));
  const tasks = cmp.tasks;
  if (dropoutModels.length >= 3 && tasks.length) {
    verdicts.push(bootstrapClaim(data, {
      claim: 'Dropout on the penultimate layer raises DR(0.9) with the rate (mean over tasks); our reading of the appendix, published only as plots',
      paper: 'plots only (appendix)',
      effectName: `Spearman(dropout rate, DR(0.9)) over ${dropoutModels.length} models, mean over ${tasks.join(', ')}`, rule: { direction: 'greater', margin: 0 },
      models: dropoutModels, tasks,
    }, (v) => meanOf(tasks.map((t) => spearman(dropoutModels.map(dropoutRate), dropoutModels.map((m) => drOfView(v, m, t))))),
    (v) => tasks.map((t) => `${t}: ${dropoutModels.map((m) => `p=${dropoutRate(m)} ${fmt(drOfView(v, m, t))}`).join(', ')}`).join('; ')));
  }
  const plain = ZOO_ROLES.standard;
  if (models.includes('resnet-decov') && models.includes(plain) && tasks.length) {
    verdicts.push(bootstrapClaim(data, {
      claim: 'Decorrelating neurons (DeCov) does not remove diffused redundancy: DR(0.9) stays within 0.1 of the plain model (mean over tasks)',
      paper: 'plots only (appendix)',
      effectName: `DR(0.9) resnet-decov − ${plain}, mean over ${tasks.join(', ')}`, rule: { direction: 'within', margin: 0.1 },
      models: ['resnet-decov', plain], tasks,
    }, (v) => meanOf(tasks.map((t) => drOfView(v, 'resnet-decov', t) - drOfView(v, plain, t))),
    (v) => tasks.map((t) => `${t}: DeCov ${fmt(drOfView(v, 'resnet-decov', t))} vs plain ${fmt(drOfView(v, plain, t))}`).join('; ')));
  }
  return {
    id: 'E11', title: 'Pre-training regularisers: dropout, DeCov',
    paperClaim: 'Appendix (plots only): training with dropout on the penultimate layer (rates 0.1 … 0.8) or with the DeCov decorrelation penalty changes how much redundancy the layer carries. The claims checked here are our reading: dropout makes a layer robust to losing neurons, so DR should grow with the rate; DeCov should not remove diffused redundancy.',
    tables: { results: cmp.results, curves: cmp.curves, dr: cmp.dr }, figures: cmp.figures, verdicts,
    notes: [`Baseline ${ZOO_ROLES.standard}: every regularised model is trained whole with its width and recipe.`, 'DeCov α = 1e-3; dropout applied to the penultimate layer (before the classifier) during pre-training only (features are extracted in inference mode).', ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
