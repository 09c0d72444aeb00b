import { availableModels, fmt, spearman } from './common.js';
import { compareModels } from './compareModels.js';
import { ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/** Dropout rate encoded in a zoo model name (`resnet-dropout0.5` → 0.5; the plain model → 0). */
function dropoutRate(model: string): number {
  const m = /dropout([0-9.]+)$/.exec(model);
  return m ? Number(m[1]) : model === ZOO_ROLES.headBaseline ? 0 : NaN;
}

/**
 * E11 (appendix): pre-training regularisers on the penultimate layer: dropout at several rates and
 * DeCov, against the plain model.
 */
export async function experimentE11(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { models, missingNote } = availableModels(ctx, ZOO_ROLES.regularisers);
  const cmp = await compareModels(ctx, 'E11', models);
  const verdicts: ExperimentVerdict[] = [];
  const dropoutModels = models.filter((m) => Number.isFinite(dropoutRate(m)));
  for (const t of cmp.tasks) {
    const pts = dropoutModels.map((m) => ({ m, r: dropoutRate(m), dr: cmp.dr09(m, t) }));
    const rho = spearman(pts.map((p) => p.r), pts.map((p) => p.dr));
    verdicts.push({
      claim: `Dropout on the penultimate layer raises DR(0.9) with the rate (${t}); our reading of the appendix, published only as plots`,
      holds: pts.length >= 3 ? rho > 0.5 : null,
      detail: `Spearman(rate, DR) = ${fmt(rho, 2)}; ${pts.map((p) => `p=${p.r}: ${fmt(p.dr)}`).join(', ')}`,
    });
    if (models.includes('resnet-decov') && models.includes(ZOO_ROLES.headBaseline)) {
      const a = cmp.dr09('resnet-decov', t);
      const b = cmp.dr09(ZOO_ROLES.headBaseline, t);
      verdicts.push({
        claim: `Decorrelating neurons (DeCov) does not remove diffused redundancy: DR(0.9) stays within 0.1 of the plain model (${t})`,
        holds: Number.isFinite(a) && Number.isFinite(b) ? Math.abs(a - b) <= 0.1 : null,
        detail: `DeCov ${fmt(a)} vs plain ${fmt(b)}`,
      });
    }
  }
  return {
    id: 'E11', title: 'Pre-training regularisers: dropout, DeCov',
    paperClaim: 'Appendix (plots only): training with dropout on the penultimate layer (rates 0.1 … 0.8) or with the DeCov decorrelation penalty changes how much redundancy the layer carries. The claims checked here are our reading: dropout makes a layer robust to losing neurons, so DR should grow with the rate; DeCov should not remove diffused redundancy.',
    tables: { results: cmp.results, curves: cmp.curves, dr: cmp.dr }, figures: cmp.figures, verdicts,
    notes: [`Baseline ${ZOO_ROLES.headBaseline}: the regularised heads share its frozen resnet trunk and recipe.`, 'DeCov α = 1e-4 as in the paper; dropout applied to the penultimate layer during pre-training only (features are extracted in inference mode).', ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
