import type * as aq from 'arquero';
import { drOf, fmt } from './common.js';
import type { ExperimentContext, ExperimentVerdict } from './types.js';

/** 1.96 × the binomial standard error of an accuracy `p` measured on `n` test images. */
function halfWidth95(p: number, n: number): number {
  return 1.96 * Math.sqrt(Math.max(p * (1 - p), 0) / Math.max(n, 1));
}

/** True when the whole interval is below the bound, false when it is above, null when it straddles it. */
function decide(lo: number, hi: number, bound: number): boolean | null {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return hi < bound ? true : lo > bound ? false : null;
}

/**
 * The paper's headline on each real network and task: a random 20% of the neurons comes within 5
 * points of the whole layer. Decided on an interval, not a mean: the gap (full − subset accuracy)
 * ranges over the subset seeds, widened on both sides by 1.96 binomial standard errors of the
 * full-layer accuracy on the `n` test images (conservative for a paired difference). Holds when the
 * interval lies below 0.05, fails when it lies above, undecided otherwise.
 */
export async function headlineVerdicts(ctx: ExperimentContext, results: aq.ColumnTable, models: readonly string[], tasks: readonly string[]): Promise<ExperimentVerdict[]> {
  const rows = results.objects() as any[];
  const out: ExperimentVerdict[] = [];
  for (const model of models) {
    for (const task of tasks) {
      const here = rows.filter((r) => r.model === model && r.dataset === task && r.selection === 'random');
      const full = here.find((r) => Number(r.fraction) === 1)?.accuracy;
      const at20 = here.filter((r) => Math.abs(Number(r.fraction) - 0.2) < 1e-9).map((r) => Number(r.accuracy));
      if (full === undefined || !at20.length) continue;
      const n = (await ctx.source.splits(model, task)).test.features.n;
      const gaps = at20.map((a) => full - a);
      const h = halfWidth95(full, n);
      const lo = Math.min(...gaps) - h;
      const hi = Math.max(...gaps) + h;
      out.push({
        claim: `Paper's headline on a real pre-trained network: 20% of random neurons within 5 points of the whole layer (${model}, ${task})`,
        holds: decide(lo, hi, 0.05),
        detail: `whole layer ${fmt(full)}; 20%: ${at20.map((a) => fmt(a)).join(', ')} over ${at20.length} seeds; gap interval [${fmt(lo)}, ${fmt(hi)}] (seed range ± 1.96 SE, n = ${n} test images)`,
      });
    }
  }
  return out;
}

/** DR(0.9) (interpolated) of `model` on `task` for each seed's curve separately. */
export function drPerSeed(results: aq.ColumnTable, model: string, task: string): number[] {
  const mine = results.filter(`d => d.model === '${model.replace(/'/g, "\\'")}' && d.dataset === '${task.replace(/'/g, "\\'")}' && d.selection === 'random'`);
  const rows = mine.objects() as any[];
  const seeds = [...new Set(rows.filter((r) => r.seed !== null && r.seed !== undefined).map((r) => Number(r.seed)))].sort((a, b) => a - b);
  return seeds.map((s) => {
    const one = mine.filter(`d => d.seed === ${s} || d.seed === null || d.seed === undefined`);
    const dr = drOf(one, [0.9]).objects() as any[];
    return Number(dr.find((r) => r.estimator === 'interpolated')?.dr ?? NaN);
  });
}

/**
 * E5-style width comparison of two real networks: DR(0.9) of the wider one exceeds the narrower one's,
 * decided on the seed ranges (holds when every seed of the wider is above every seed of the narrower,
 * fails when every seed is below, undecided when the ranges overlap).
 */
export function widthVerdicts(results: aq.ColumnTable, wide: string, narrow: string, tasks: readonly string[], widths: [number, number]): ExperimentVerdict[] {
  return tasks.map((task) => {
    const w = drPerSeed(results, wide, task).filter(Number.isFinite);
    const n = drPerSeed(results, narrow, task).filter(Number.isFinite);
    const holds = !w.length || !n.length ? null : Math.min(...w) > Math.max(...n) ? true : Math.max(...w) < Math.min(...n) ? false : null;
    return {
      claim: `On real networks, the wider layer has more diffused redundancy: DR(0.9) of ${wide} (${widths[0]} neurons) above ${narrow} (${widths[1]}) (${task})`,
      holds,
      detail: `DR(0.9) per seed: ${wide} ${w.map((v) => fmt(v)).join(', ')}; ${narrow} ${n.map((v) => fmt(v)).join(', ')} (undecided when the seed ranges overlap)`,
    };
  });
}
