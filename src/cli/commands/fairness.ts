import { defineCommand } from '../command.js';
import { readSweepResults } from '../../sweep/engine.js';
import { fairnessTable, perClassAccuracyTable } from '../../summary/fairness.js';
import { formatTableText } from '../../summary/format.js';

export const command = defineCommand({
  name: 'fairness',
  summary: 'per-class accuracy, Gini, max-min, CV from sweep results',
  usage: '--results FILE.arrow',
  description: [
    'Per model, dataset, selection, probe and fraction: the per-class test accuracy averaged over seeds,',
    'summarised by its Gini coefficient (the paper\'s formula), max − min and coefficient of variation,',
    'beside the overall accuracy. With --per-class, also prints the classes × fractions matrix rows.',
  ].join('\n'),
  options: {
    results: { type: 'string', required: true, meta: 'FILE.arrow', help: 'sweep results file (dr sweep --out)' },
    'per-class': { type: 'boolean', help: 'also give the per-class accuracy (mean over seeds) per fraction' },
  },
  async run(args, io) {
    const results = readSweepResults(args.options.results);
    const table = fairnessTable(results);
    for (const line of formatTableText(table, { digits: 4 })) io.print(line);
    const out: Record<string, unknown> = { results: args.options.results, rows: table.objects() };
    if (args.options['per-class']) {
      const perClass = perClassAccuracyTable(results);
      io.print('');
      for (const line of formatTableText(perClass, { digits: 4 })) io.print(line);
      out.perClass = perClass.objects();
    }
    return out;
  },
});
