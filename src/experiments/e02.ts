import type * as aq from 'arquero';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { ckaFigure } from '../plots/index.js';
import { CKA_MODE_LABELS, summariseCka } from '../similarity/analyses.js';
import { deadUnitStats } from '../summary/deadUnits.js';
import { tInterval } from '../summary/intervals.js';
import { deadShares, meanOf, verdictFromInterval, type SeriesFacts } from './claims.js';
import { availableModels, ckaFor, concatTables, filterRows, fmt, realModels, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentOutput, ExperimentVerdict } from './types.js';

/** A CKA value, or why it is missing. */
function ckaText(v: number): string {
  return Number.isFinite(v) ? fmt(v) : 'undefined (subsets constant on these rows)';
}

/**
 * E2 (Fig. 2, 9): linear CKA between random neuron subsets (subset vs subset, all seed pairs) and
 * between a subset and the whole layer, on the first `grid.ckaRows` test rows of the first task,
 * for the standard and adversarial models. Tables: cka (every pair), ckaSummary (mean per fraction).
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e2 = await experimentE2(ctx);
 * showExperimentSummary(e2);
 * ```
 */
export async function experimentE2(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { standard, adversarial } = ZOO_ROLES;
  const { models, missingNote } = availableModels(ctx, [standard, adversarial]);
  const task = taskIds(ctx, MAIN_TASKS)[0];
  const grids: aq.ColumnTable[] = [];
  const real = realModels(ctx);
  const deadFacts = new Map<string, SeriesFacts>();
  let testRows = 0;
  for (const model of [...real, ...models]) {
    const { train, test } = await ctx.source.splits(model, task);
    testRows = Math.min(test.features.n, ctx.grid.ckaRows);
    deadFacts.set(`${model}|${task}`, { trainRows: train.features.n, testRows: test.features.n, deadShare: deadUnitStats(train.features).deadShare });
    grids.push(await ckaFor(ctx, test.features, model, task, { fractions: ctx.grid.fractions }));
  }
  const cka = concatTables(grids);
  const summary = summariseCka(cka);
  const rows = summary.objects() as any[];
  const figures = (['part-whole', 'subset-subset'] as const).map((mode) => {
    const label = CKA_MODE_LABELS[mode];
    return {
      name: `cka_${label.replace(/ /g, '-')}`,
      caption: `Linear CKA, ${label}, first ${ctx.grid.ckaRows} test rows of ${task} (mean ± std over seeds / seed pairs); dashed: the paper's ResNet50 on CIFAR10.`,
      spec: ckaFigure(filterRows(summary, (r) => r.mode === mode), {
        series: ['model'], title: `E2: CKA ${label}`,
        paper: {
          rows: loadPaperNumbers(mode === 'part-whole' ? 'ckaPartVsWhole' : 'ckaSubsetVsSubset'),
          where: mode === 'part-whole' ? { model: 'resnet50', downstream: 'cifar10', selection: 'random' } : { model: 'resnet50', downstream: 'cifar10' },
          series: ['pretraining'],
        },
      }),
    };
  });

  const verdicts: ExperimentVerdict[] = [];
  const pvw = (cka.objects() as any[]).filter((r) => r.mode === 'part-whole');
  const basis = (ms: string[]) => ({ models: ms, tasks: [task], probe: 'none (linear CKA)', trainRows: {}, testRows: { [task]: testRows }, seeds: ctx.grid.seeds });
  const dead = deadShares({ facts: deadFacts }, [...real, ...models], [task]);
  const undefinedNotes: string[] = [];
  /** CKA per seed at a fraction (NaN where the subset is constant on these rows). */
  const perSeed = (model: string, f: number) => ctx.grid.seeds.map((s) => Number(pvw.find((r) => r.model === model && r.seedA === s && Math.abs(r.fraction - f) < 1e-12)?.cka ?? NaN));
  const fractions = [...new Set(pvw.map((r) => r.fraction as number))].sort((x, y) => x - y);
  for (const model of [...real, ...models]) {
    for (const f of fractions) {
      const bad = perSeed(model, f).filter((v) => !Number.isFinite(v)).length;
      if (bad) undefinedNotes.push(`${model}, f = ${f}: CKA undefined for ${bad} of ${ctx.grid.seeds.length} random subsets (every neuron of the subset is constant on these rows: dead units), left out of the means`);
    }
  }
  const half = fractions.filter((f) => f <= 0.5).pop();
  for (const model of [...real, ...models]) {
    if (half === undefined) break;
    const vals = perSeed(model, half);
    const ci = tInterval(vals);
    verdicts.push(verdictFromInterval({
      claim: `Linear CKA between a random half of the layer and the whole layer exceeds 0.9 (${model})`,
      paper: `${model === adversarial ? '0.989 (adversarial' : '0.963 (standard'} ResNet50, f = 0.5, CIFAR10; Fig. 2)`,
      effectName: `part-vs-whole CKA at f = ${half}`, rule: { direction: 'greater', margin: 0.9 }, models: [model], tasks: [task],
    }, ci, basis([model]), dead.filter((x) => x.model === model),
    `${vals.filter(Number.isFinite).length} of ${vals.length} subsets defined; ${fractions.map((f) => `f=${f}: ${ckaText(meanOf(perSeed(model, f).filter(Number.isFinite)))}`).join(', ')}`));
  }
  if (models.length === 2) {
    // Fractions where CKA is defined for every seed of both models; the effect per seed is the mean gap over them.
    const usable = fractions.filter((f) => [standard, adversarial].every((m) => perSeed(m, f).every(Number.isFinite)));
    const gaps = ctx.grid.seeds.map((_, i) => meanOf(usable.map((f) => perSeed(adversarial, f)[i] - perSeed(standard, f)[i])));
    verdicts.push(verdictFromInterval({
      claim: 'The adversarial model\'s random subsets are more similar to the whole layer (part-vs-whole CKA higher than the standard model\'s)',
      paper: '+0.13 (part-vs-whole CKA, adversarial − standard ResNet50, mean over 8 fractions, CIFAR10; Fig. 2)',
      effectName: `part-vs-whole CKA ${adversarial} − ${standard}, mean over f = ${usable.join(', ') || 'none'}`, rule: { direction: 'greater', margin: 0 },
      models: [standard, adversarial], tasks: [task],
    }, tInterval(usable.length ? gaps : []), basis([standard, adversarial]), dead,
    `subset-vs-subset (descriptive): ${fractions.map((f) => `f=${f}: ${ckaText(meanOf(rows.filter((r) => r.model === adversarial && r.mode === 'subset-subset' && r.fraction === f).map((r) => r.ckaMean)))} vs ${ckaText(meanOf(rows.filter((r) => r.model === standard && r.mode === 'subset-subset' && r.fraction === f).map((r) => r.ckaMean)))}`).join(', ')}`));
  }
  return {
    id: 'E2', title: 'CKA: subset vs subset, part vs whole',
    paperClaim: 'Random subsets of neurons are highly similar to each other and to the whole layer once they exceed a small size (diffuse redundancy seen through CKA); more so for the adversarially trained model.',
    tables: { cka, ckaSummary: summary }, figures, verdicts,
    notes: [`Biased linear CKA (Kornblith 2019) on the first ${ctx.grid.ckaRows} rows of the ${task} test split; seeds ${ctx.grid.seeds.join(', ')} (all pairs). Intervals: t over seeds (one random subset per seed and fraction).`, ...undefinedNotes, ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
