import { bootstrapClaim, drOfView, type ClaimData } from './claims.js';
import { fmt } from './common.js';
import type { ExperimentVerdict } from './types.js';

/**
 * The paper's headline on each real network and task: a random 20% of the neurons comes within 5
 * points of the whole layer. The effect is the accuracy gap (whole layer − 20%), with a bootstrap 95%
 * interval over seeds and test rows (paired: both are scored on the same test images); it holds when
 * the whole interval lies below 0.05 (docs/metrics.md §5).
 */
export function headlineVerdicts(data: ClaimData, models: readonly string[], tasks: readonly string[]): ExperimentVerdict[] {
  const out: ExperimentVerdict[] = [];
  for (const model of models) {
    for (const task of tasks) {
      if (!data.facts.has(`${model}|${task}`)) continue;
      out.push(bootstrapClaim(data, {
        claim: `Paper's headline on a real pre-trained network: 20% of random neurons come within 5 points of the whole layer (${model}, ${task})`,
        paper: '5.9 points (ResNet50 on CIFAR10: 0.891 vs 0.832; 3.6 for the L2-robust model; Fig. 1)',
        effectName: 'accuracy(whole layer) − accuracy(f = 0.2)', rule: { direction: 'less', margin: 0.05 },
        models: [model], tasks: [task],
      }, (v) => v.accuracy(model, task, 'random', 1) - v.accuracy(model, task, 'random', 0.2),
      (v) => `whole layer ${fmt(v.accuracy(model, task, 'random', 1))}; 20% of the neurons ${fmt(v.accuracy(model, task, 'random', 0.2))}`));
    }
  }
  return out;
}

/**
 * E5-style width comparison of two real networks: DR(0.9) of the wider one exceeds the narrower one's,
 * per task, as a bootstrap interval of the difference (holds when the whole interval is above 0).
 */
export function widthVerdicts(data: ClaimData, wide: string, narrow: string, tasks: readonly string[], widths: [number, number]): ExperimentVerdict[] {
  return tasks.map((task) => bootstrapClaim(data, {
    claim: `On real networks, the wider layer has more diffused redundancy: DR(0.9) of ${wide} (${widths[0]} neurons) above ${narrow} (${widths[1]}) (${task})`,
    paper: 'qualitative: narrower ResNet50 layers need a larger fraction of neurons (Fig. 5)',
    effectName: `DR(0.9) ${wide} − ${narrow}`, rule: { direction: 'greater', margin: 0 },
    models: [wide, narrow], tasks: [task],
  }, (v) => drOfView(v, wide, task) - drOfView(v, narrow, task),
  (v) => `DR(0.9): ${wide} ${fmt(drOfView(v, wide, task))}, ${narrow} ${fmt(drOfView(v, narrow, task))}`));
}
