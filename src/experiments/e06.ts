import type * as aq from 'arquero';
import { ckaFigure, firstVsRandomFigure } from '../plots/index.js';
import { loadPaperNumbers } from '../summary/paperNumbers.js';
import { summariseCka } from '../similarity/analyses.js';
import type { ReplicateView } from '../summary/bootstrap.js';
import { bootstrapClaim, claimData, drOfView, meanOf, undefinedCkaNotes } from './claims.js';
import { availableModels, ckaFor, concatTables, curvesOf, drOf, filterRows, fmt, sweepFor, taskIds } from './common.js';
import { MAIN_TASKS, ZOO_ROLES } from './roles.js';
import type { ExperimentContext, ExperimentFigure, ExperimentOutput, ExperimentVerdict } from './types.js';

/** Powers of two from 1 up to d (d included). */
function powersOfTwo(d: number): number[] {
  const out: number[] = [];
  for (let k = 1; k < d; k *= 2) out.push(k);
  out.push(d);
  return out;
}

/**
 * E6 (Figs. 7, 9): the Matryoshka (MRL) model, whose loss puts information in the first neurons:
 * first-k vs random-k on it, against random-k on the standard and adversarial models, at k = 1, 2, 4 … d;
 * plus CKA of the first-k / random-k part against the whole layer.
 * @example
 * ```ts
 * const ctx = await notebookContext({ quick: true });
 * const e6 = await experimentE6(ctx);
 * showExperimentSummary(e6);
 * ```
 */
export async function experimentE6(ctx: ExperimentContext): Promise<ExperimentOutput> {
  const t0 = performance.now();
  const { mrl, standard, adversarial } = ZOO_ROLES;
  const { models, missingNote } = availableModels(ctx, [mrl, standard, adversarial]);
  // The MRL model has the standard model's width and recipe: the fair comparison.
  const reference = standard;
  const tasks = taskIds(ctx, MAIN_TASKS);
  const parts: aq.ColumnTable[] = [];
  const ckaParts: aq.ColumnTable[] = [];
  for (const task of tasks) {
    for (const model of models) {
      const d = (await ctx.source.splits(model, task)).train.features.d;
      parts.push(await sweepFor(ctx, model, task, { ks: powersOfTwo(d), selections: model === mrl ? ['random', 'first'] : ['random'] }));
    }
  }
  const ckaTask = tasks[0];
  for (const model of models) {
    const { test } = await ctx.source.splits(model, ckaTask);
    const fractions = powersOfTwo(test.features.d).map((k) => k / test.features.d);
    for (const selection of model === mrl ? (['first', 'random'] as const) : (['random'] as const)) {
      ckaParts.push(await ckaFor(ctx, test.features, model, ckaTask, { fractions, selection }));
    }
  }
  const results = concatTables(parts);
  const curves = curvesOf(results);
  const dr = drOf(results, [0.9]);
  const cka = summariseCka(concatTables(ckaParts));
  const figures: ExperimentFigure[] = tasks.map((task) => ({
    name: `accuracy_${task}`,
    caption: `Accuracy vs number of neurons: first-k (dashed) and random-k of the MRL model, random-k of the others (${task}).`,
    spec: firstVsRandomFigure(filterRows(results, (r) => r.dataset === task), { title: `E6: ${task}` }),
  }));
  figures.push({
    name: 'cka_part_vs_whole',
    caption: `CKA of the first-k / random-k part against the whole layer (${ckaTask} test rows); dashed: the paper's ResNet50 / MRL ResNet50 on CIFAR10.`,
    spec: ckaFigure(filterRows(cka, (r) => r.mode === 'part-whole'), {
      x: 'k', series: ['model', 'selection'], title: 'E6: CKA part vs whole',
      paper: { rows: loadPaperNumbers('ckaPartVsWhole'), where: { downstream: 'cifar10' }, series: ['model', 'pretraining', 'selection'] },
    }),
  });

  const verdicts: ExperimentVerdict[] = [];
  if (models.includes(mrl) && tasks.length) {
    const data = await claimData(ctx, results);
    const dMrl = (await ctx.source.splits(mrl, tasks[0])).train.features.d;
    const smallFractions = powersOfTwo(dMrl).filter((k) => k <= 16 && k < dMrl).map((k) => k / dMrl);
    const firstGap = (v: ReplicateView, t: string) => meanOf(smallFractions.map((f) => v.accuracy(mrl, t, 'first', f) - v.accuracy(mrl, t, 'random', f)));
    verdicts.push(bootstrapClaim(data, {
      claim: 'MRL concentrates information in the first neurons: first-k beats random-k for k ≤ 16 (mean over k and tasks)',
      paper: 'qualitative (Fig. 7); part-vs-whole CKA at k = 8: first-k 0.607 vs random-k of standard ResNet50 0.26 (CIFAR10)',
      effectName: `accuracy first-k − random-k of ${mrl}, mean over k = ${smallFractions.map((f) => Math.round(f * dMrl)).join(', ')} and ${tasks.join(', ')}`,
      rule: { direction: 'greater', margin: 0 }, models: [mrl], tasks,
    }, (v) => meanOf(tasks.map((t) => firstGap(v, t))),
    (v) => tasks.map((t) => `${t}: ${smallFractions.map((f) => `k=${Math.round(f * dMrl)} first ${fmt(v.accuracy(mrl, t, 'first', f))} vs random ${fmt(v.accuracy(mrl, t, 'random', f))}`).join(', ')}`).join('; ')));
    verdicts.push(bootstrapClaim(data, {
      claim: 'Random subsets of the MRL model still carry most of the information: DR(0.9) of its random-k curve exceeds 0.5 (mean over tasks)',
      paper: 'qualitative (Fig. 7): random-k part-vs-whole CKA of MRL ResNet50 0.914 at f = 0.5 (CIFAR10)',
      effectName: `DR(0.9) of ${mrl} random-k, mean over ${tasks.join(', ')}`, rule: { direction: 'greater', margin: 0.5 }, models: [mrl], tasks,
    }, (v) => meanOf(tasks.map((t) => drOfView(v, mrl, t))),
    (v) => tasks.map((t) => `${t}: ${fmt(drOfView(v, mrl, t))}`).join('; ')));
    if (models.includes(reference)) {
      verdicts.push(bootstrapClaim(data, {
        claim: `The MRL model has less diffused redundancy than the cross-entropy model ${reference} (DR(0.9) of random-k, mean over tasks)`,
        paper: 'qualitative (Fig. 7): random-k part-vs-whole CKA at f = 0.5, MRL 0.914 vs standard 0.963 (CIFAR10)',
        effectName: `DR(0.9) ${reference} − ${mrl}, mean over ${tasks.join(', ')}`, rule: { direction: 'greater', margin: 0 }, models: [reference, mrl], tasks,
      }, (v) => meanOf(tasks.map((t) => drOfView(v, reference, t) - drOfView(v, mrl, t))),
      (v) => tasks.map((t) => `${t}: ${mrl} ${fmt(drOfView(v, mrl, t))}, ${reference} ${fmt(drOfView(v, reference, t))}`).join('; ')));
    }
  }
  return {
    id: 'E6', title: 'Matryoshka representations: first-k vs random-k',
    paperClaim: 'A model trained with the Matryoshka loss puts most information in its first neurons (first-k beats random-k at small k), yet random subsets of its layer still carry much of the information: diffused redundancy persists, though less than in standard and adversarial models.',
    tables: { results, curves, dr, cka }, figures, verdicts,
    notes: [`Neuron counts k = 1, 2, 4, … d; the zoo's MRL model nests prefixes of 8, 16, 32, 64 and the full layer.`, ...undefinedCkaNotes(cka), ...(missingNote ? [missingNote] : [])],
    seconds: (performance.now() - t0) / 1000,
  };
}
