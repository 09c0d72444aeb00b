import type * as aq from 'arquero';
import { accuracyVsFractionFigure, widthFigure } from '../plots/index.js';
import { barSpec } from '../plots/charts.js';
import { concatTables, curvesOf, drOf, filterRows, sweepFor, taskIds, valueWhere } from './common.js';
import { MAIN_TASKS } from './roles.js';
import { finitePopulationStd } from '../summary/groups.js';
import type { ExperimentContext, ExperimentFigure } from './types.js';

/** What {@link compareModels} computed for a set of models on every main task. */
export interface ModelComparison {
  tasks: string[];
  results: aq.ColumnTable;
  curves: aq.ColumnTable;
  dr: aq.ColumnTable;
  figures: ExperimentFigure[];
  /** DR(0.9), interpolated estimator, of `model` on `task` (NaN when missing). */
  dr09(model: string, task: string, estimator?: 'interpolated' | 'nearest'): number;
}

/**
 * Shared body of the "which pre-training factor changes DR" experiments (E4, E5, E11): random-subset
 * sweeps of `models` on every main task, curves, DR over the context's δ values, and figures
 * (accuracy vs fraction or vs neurons per task, DR(0.9) bars per model and task).
 */
export async function compareModels(ctx: ExperimentContext, id: string, models: readonly string[], opts: { x?: 'fraction' | 'k' } = {}): Promise<ModelComparison> {
  const tasks = taskIds(ctx, MAIN_TASKS);
  const parts: aq.ColumnTable[] = [];
  for (const task of tasks) for (const model of models) parts.push(await sweepFor(ctx, model, task));
  const results = concatTables(parts);
  const curves = curvesOf(results);
  const dr = drOf(results, [...new Set([...ctx.grid.deltas, 0.9])]);
  const dr09 = (model: string, task: string, estimator: 'interpolated' | 'nearest' = 'interpolated') => valueWhere(dr, { model, dataset: task, delta: 0.9, estimator }, 'dr');
  const x = opts.x ?? 'fraction';
  const figures: ExperimentFigure[] = tasks.map((task) => {
    const rows = filterRows(results, (r) => r.dataset === task);
    return {
      name: `accuracy_${task}`,
      caption: `Accuracy vs ${x === 'k' ? 'number' : 'fraction'} of random neurons (${task}; mean ± std over seeds).`,
      spec: x === 'k'
        ? widthFigure(rows, { title: `${id}: ${task}` })
        : accuracyVsFractionFigure(rows, { series: ['model'], title: `${id}: ${task}` }),
    };
  });
  // Error bars: the spread over seeds of DR(0.9) read off each seed's own curve (its subsets plus the full layer).
  const seeds = [...new Set((results.objects() as any[]).filter((r) => r.fraction < 1).map((r) => r.seed))];
  const dr09Std = (model: string, task: string): number => finitePopulationStd(seeds.map((s) => valueWhere(
    drOf(filterRows(results, (r) => r.model === model && r.dataset === task && (r.fraction === 1 || r.seed === s)), [0.9]),
    { model, dataset: task, delta: 0.9, estimator: 'interpolated' }, 'dr',
  )));
  figures.push({
    name: 'dr09',
    caption: 'DR(0.9) per model and task (interpolated estimator); error bars: ± std over seeds of the DR(0.9) of each seed\'s curve.',
    spec: barSpec([...models], tasks.map((t) => ({ name: t, y: models.map((m) => dr09(m, t)), error: models.map((m) => dr09Std(m, t)) })), { title: `${id}: DR(0.9)`, xTitle: 'model', yTitle: 'DR(0.9)', yRange: [0, 1] }),
  });
  return { tasks, results, curves, dr, figures, dr09 };
}
