import type * as aq from 'arquero';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { ckaFigure } from '../plots/index.js';
import { ckaGrid, summariseCka } from './ckaGrid.js';
import { availableModels, concatTables, filterRows, fmt, realModels, spearman, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/**
 * E2 (Fig. 2, 9): linear CKA between random neuron subsets (subset vs subset, all seed pairs) and
 * between a subset and the whole layer, on the first `grid.ckaRows` test rows of the first task,
 * for the standard and adversarial models. Tables: cka (every pair), ckaSummary (mean per fraction).
 */
export async function experimentE2(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { standard, adversarial } = ZOO_ROLES;
  const { models, missingNote } = availableModels(ctx, [standard, adversarial]);
  const task = taskIds(ctx, MAIN_TASKS)[0];
  const grids: aq.ColumnTable[] = [];
  const real = realModels(ctx);
  for (const model of [...real, ...models]) {
    const { test } = await ctx.source.splits(model, task);
    grids.push(await ckaGrid(test.features, { model, dataset: task, fractions: ctx.grid.fractions, seeds: ctx.grid.seeds, rows: ctx.grid.ckaRows, linalg: ctx.linalg }));
  }
  const cka = concatTables(grids);
  const summary = summariseCka(cka);
  const rows = summary.objects() as any[];
  const figures = (['part-vs-whole', 'subset-vs-subset'] as const).map((analysis) => ({
    name: `cka_${analysis}`,
    caption: `Linear CKA, ${analysis.replace(/-/g, ' ')}, first ${ctx.grid.ckaRows} test rows of ${task} (mean ± std over seeds / seed pairs); dashed: the paper's ResNet50 on CIFAR10.`,
    spec: ckaFigure(filterRows(summary, (r) => r.analysis === analysis), {
      series: ['model'], title: `E2: CKA ${analysis.replace(/-/g, ' ')}`,
      paper: {
        rows: loadPaperNumbers(analysis === 'part-vs-whole' ? 'ckaPartVsWhole' : 'ckaSubsetVsSubset'),
        where: analysis === 'part-vs-whole' ? { model: 'resnet50', downstream: 'cifar10', selection: 'random' } : { model: 'resnet50', downstream: 'cifar10' },
        series: ['pretraining'],
      },
    }),
  }));

  const verdicts: ExperimentVerdict[] = [];
  for (const model of [...real, ...models]) {
    const pts = rows.filter((r) => r.model === model && r.analysis === 'part-vs-whole');
    const rho = spearman(pts.map((r) => r.fraction), pts.map((r) => r.ckaMean));
    verdicts.push({
      claim: `CKA between a random part and the whole layer grows with the part's size and is high well before the whole layer (${model})`,
      holds: pts.length >= 3 ? rho > 0.9 && pts.some((r) => r.fraction <= 0.5 && r.ckaMean >= 0.9) : null,
      detail: `Spearman(fraction, CKA) = ${fmt(rho)}; ${pts.map((r) => `f=${r.fraction}: ${fmt(r.ckaMean)}`).join(', ')}`,
    });
  }
  if (models.length === 2) {
    for (const analysis of ['subset-vs-subset', 'part-vs-whole']) {
      const s = rows.filter((r) => r.model === standard && r.analysis === analysis);
      const pairs = s.map((r) => [r, rows.find((q) => q.model === adversarial && q.analysis === analysis && q.fraction === r.fraction)]).filter((p) => p[1]);
      const higher = pairs.filter(([a, b]) => b.ckaMean > a.ckaMean).length;
      verdicts.push({
        claim: `The adversarial model's random subsets are more similar (${analysis} CKA higher than the standard model's at most fractions)`,
        holds: pairs.length ? higher > pairs.length / 2 : null,
        detail: `${higher} of ${pairs.length} fractions; ${pairs.map(([a, b]) => `f=${a.fraction}: ${fmt(b.ckaMean)} vs ${fmt(a.ckaMean)}`).join(', ')}`,
      });
    }
  }
  return {
    id: 'E2', title: 'CKA: subset vs subset, part vs whole',
    paperClaim: 'Random subsets of neurons are highly similar to each other and to the whole layer once they exceed a small size (diffuse redundancy seen through CKA); more so for the adversarially trained model.',
    tables: { cka, ckaSummary: summary }, figures, verdicts,
    notes: [`Biased linear CKA (Kornblith 2019) on the first ${ctx.grid.ckaRows} rows of the ${task} test split; seeds ${ctx.grid.seeds.join(', ')} (all pairs).`, ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
