import { bootstrapClaim, claimData, drOfView, meanOf } from './claims.js';
import { availableModels, fmt, realModels, spearman } from './common.js';
import { widthVerdicts } from './realVerdicts.js';
import { compareModels } from './compareModels.js';
import { ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/**
 * E5 (Fig. 5): width of the penultimate layer. Random-subset curves against the absolute number of
 * neurons for the zoo's width family, and DR(0.9) against width.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e5 = await experimentE5(ctx);
 * showExperimentSummary(e5);
 * ```
 */
export async function experimentE5(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { models, missingNote } = availableModels(ctx, ZOO_ROLES.widths);
  const cmp = await compareModels(ctx, 'E5', models, { x: 'k' });
  const width = (m: string) => ctx.source.modelInfo(m).width ?? NaN;
  const data = await claimData(ctx, cmp.results);
  const sized = models.filter((m) => Number.isFinite(width(m)));
  const verdicts: ExperimentVerdict[] = sized.length >= 3 ? [bootstrapClaim(data, {
    claim: 'Narrower layers have less diffused redundancy: DR(0.9) rises with width (mean over tasks)',
    paper: 'qualitative: narrower ResNet50 layers need a larger fraction of neurons (Fig. 5)',
    effectName: `Spearman(width, DR(0.9)) over ${sized.length} widths, mean over ${cmp.tasks.join(', ')}`, rule: { direction: 'greater', margin: 0 },
    models: sized, tasks: cmp.tasks,
  }, (v) => meanOf(cmp.tasks.map((t) => spearman(sized.map(width), sized.map((m) => drOfView(v, m, t))))),
  (v) => cmp.tasks.map((t) => `${t}: ${sized.map((m) => `w${width(m)} ${fmt(drOfView(v, m, t))}`).join(', ')}`).join('; '))] : [];
  // The two real MobileNetV2 widths, 1.4 (1792) vs 1.0 (1280): the same comparison on real weights.
  const real = realModels(ctx);
  const tables = { results: cmp.results, curves: cmp.curves, dr: cmp.dr } as Record<string, typeof cmp.results>;
  const figures = [...cmp.figures];
  const notes: string[] = [];
  if (real.length === 2) {
    const rc = await compareModels(ctx, 'E5 (real networks)', real, { x: 'k' });
    Object.assign(tables, { realResults: rc.results, realCurves: rc.curves, realDr: rc.dr });
    figures.push(...rc.figures.map((f) => ({ ...f, name: `real_${f.name}`, caption: `Real networks ${real.join(' vs ')}: ${f.caption}` })));
    const [wide, narrow] = [...real].sort((a, b) => width(b) - width(a));
    verdicts.push(...widthVerdicts(await claimData(ctx, rc.results), wide, narrow, rc.tasks, [width(wide), width(narrow)]));
    notes.push(`Real networks: ${wide} and ${narrow} are two widths of MobileNetV2, each fine-tuned separately by the nsfwjs authors (not one network narrowed), so width is not the only difference.`);
  }
  return {
    id: 'E5', title: 'Width of the layer',
    paperClaim: 'Diffused redundancy shrinks with the width of the layer: ResNet50 variants with narrower penultimate layers need a larger fraction of their neurons to reach the same accuracy.',
    tables, figures, verdicts,
    notes: ['The zoo\'s width family: the ResNet-style CNN with its pooled feature layer (1×1 expansion before the global average pool) of widths 32 … 1024, each trained whole with the same recipe.', ...notes, ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
