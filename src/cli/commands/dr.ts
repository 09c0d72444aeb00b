import { defineCommand } from '../command.js';
import { readSweepResults } from '../../sweep/engine.js';
import { DR_ESTIMATORS, DR_ESTIMATORS_SHOWN, drTable, type DrEstimator } from '../../summary/dr.js';
import { highDeltaSweep, paperDeltaSweep } from '../../summary/deltas.js';
import { formatTableText } from '../../summary/format.js';
import { UsageError } from '../../util/errors.js';

export const command = defineCommand({
  name: 'dr',
  summary: 'diffused redundancy DR(δ) from sweep results',
  usage: '--results FILE.arrow [--delta LIST] [--estimator both|nearest|interpolated]',
  description: [
    'DR(δ) = 1 − f, with f the fraction of neurons whose mean accuracy (over seeds) reaches δ times the',
    'full layer\'s, per model, dataset, selection and probe. Estimators: nearest (the authors\': the tested',
    'fraction whose accuracy ratio is closest to δ, first on ties) and interpolated (the smallest fraction',
    'whose ratio reaches δ, linearly interpolated between tested fractions). By default both are shown,',
    'named apart in the estimator column, as in the report (whose verdicts read the interpolated one).',
    '--delta paper / high use the',
    'paper\'s δ sweeps (0..0.8 in 20 then 0.8..1 in 10; 0.75..1 in 20).',
  ].join('\n'),
  options: {
    results: { type: 'string', required: true, meta: 'FILE.arrow', help: 'sweep results file (dr sweep --out)' },
    delta: { type: 'strings', default: ['0.9'], meta: 'LIST', help: 'δ values, or `paper` / `high` for the paper\'s sweeps' },
    estimator: { type: 'string', choices: ['both', ...DR_ESTIMATORS], default: 'both', help: 'how DR is read off the curve (both: nearest and interpolated, named apart)' },
  },
  async run(args, io) {
    const o = args.options;
    const deltas = parseDeltas(o.delta as string[]);
    const estimator = o.estimator === 'both' ? DR_ESTIMATORS_SHOWN : [o.estimator as DrEstimator];
    const table = drTable(readSweepResults(o.results), { deltas, estimator });
    for (const line of formatTableText(table, { digits: 4 })) io.print(line);
    return { results: o.results, estimator: o.estimator === 'both' ? [...DR_ESTIMATORS_SHOWN] : o.estimator, deltas, rows: table.objects() };
  },
});

/** Parses δ values: numbers, or the names of the paper's sweeps. */
function parseDeltas(list: string[]): number[] {
  const out: number[] = [];
  for (const item of list) {
    if (item === 'paper') out.push(...paperDeltaSweep());
    else if (item === 'high') out.push(...highDeltaSweep());
    else {
      const v = Number(item);
      if (!Number.isFinite(v) || item.trim() === '') {
        throw new UsageError(`--delta: expected numbers or 'paper'/'high', got '${item}'`);
      }
      // δ is a fraction of the full layer's accuracy; δ ≤ 0 is reached by any subset and δ > 1 by none.
      if (!(v > 0 && v <= 1)) throw new UsageError(`--delta: ${item} is outside (0, 1]`);
      out.push(v);
    }
  }
  return out;
}
