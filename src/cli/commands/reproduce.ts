import { defineCommand } from '../command.js';
import { reproduce } from '../../experiments/reproduce.js';
import { EXPERIMENT_IDS, type ExperimentId } from '../../experiments/types.js';
import { PROBE_KINDS } from '../../probe/types.js';
import { PROBE_DEFAULTS } from '../../probe/defaults.js';
import { UsageError } from '../../util/errors.js';

export const command = defineCommand({
  name: 'reproduce',
  summary: 'run the paper\'s experiments on the zoo; write tables, figures, report',
  usage: '[E1 … E11] [--quick] [--out results/]',
  positionals: 'E1 … E11',
  description: [
    'Runs the experiments of "Diffused Redundancy in Pre-trained Representations" on the miniature zoo',
    '(data/models/), extracting features on demand (cached in data/cache/). Writes every result table',
    '(Arrow + CSV), every figure (self-contained HTML, PNG when Chromium is present) and report.html with',
    'one section per experiment: the paper\'s claim, our figure, our numbers and whether the claim holds.',
    '--quick: small image subsets, 7 fractions (0.01 … 0.5), 10 seeds, ridge probes (the fast option; npm start; minutes on',
    '2 cores). Without --quick: softmax probes, the default of dr probe and dr sweep. Every probe chooses its',
    'penalty λ on a validation part of its training split (--l2 auto, see dr probe --help).',
    'Without trained zoo models (or with --source synthetic) the experiments run on synthetic stand-ins.',
    'Probe sweeps are cached in OUT/sweeps/ and resumed when the command is run again.',
  ].join('\n'),
  options: {
    quick: { type: 'boolean', help: `small subsets and grid, ${PROBE_DEFAULTS.quickProbe} probes (the fast option)` },
    out: { type: 'string', default: 'results', meta: 'DIR', help: 'output folder' },
    source: { type: 'string', choices: ['auto', 'zoo', 'pretrained', 'synthetic'], default: 'auto', help: 'where features come from (auto: the real MobileNetV2s beside the zoo)' },
    'input-size': { type: 'int', min: 32, meta: 'S', help: 'input side of the real networks (default 96)' },
    workers: { type: 'int', min: 1, meta: 'W', help: 'extraction worker threads for the real networks (default: one per core)' },
    probe: { type: 'string', choices: PROBE_KINDS, meta: 'KIND', help: `probe kind (default: ${PROBE_DEFAULTS.quickProbe} with --quick, ${PROBE_DEFAULTS.probe} otherwise)` },
    seeds: { type: 'ints', meta: 'LIST', help: 'seeds of random subsets (default 1..10 quick; 1..5 full)' },
    fractions: { type: 'numbers', above: 0, max: 1, meta: 'LIST', help: 'fractions of neurons (default: the grid of the mode)' },
    'no-png': { type: 'boolean', help: 'do not render PNGs even when Chromium is present' },
  },
  async run(args, io) {
    const ids = args.positionals.map((p) => p.toUpperCase());
    for (const id of ids) {
      if (!EXPERIMENT_IDS.includes(id as ExperimentId)) throw new UsageError(`unknown experiment '${id}' (expected ${EXPERIMENT_IDS.join(', ')})`);
    }
    const o = args.options;
    const outcome = await reproduce({
      experiments: ids as ExperimentId[], quick: o.quick, out: o.out, source: o.source, probe: o.probe, seeds: o.seeds,
      fractions: o.fractions, png: !o['no-png'], inputSize: o['input-size'], workers: o.workers,
    });
    for (const e of outcome.outputs) {
      const held = e.verdicts.filter((v) => v.holds === true).length;
      const failed = e.verdicts.filter((v) => v.holds === false).length;
      io.print(`${e.id} ${e.title}: ${held} hold, ${failed} do not, ${e.verdicts.length - held - failed} undecided (${e.seconds.toFixed(1)} s)`);
    }
    for (const f of outcome.failures) io.print(`${f.id} FAILED: ${f.error}`);
    io.print(`report: ${outcome.reportPath} (${outcome.seconds.toFixed(0)} s, ${outcome.sourceKind} features)`);
    // A failed experiment is a failed run: the exit status must say so (the report is written first).
    if (outcome.failures.length) throw new Error(`${outcome.failures.length} experiment(s) failed: ${outcome.failures.map((f) => f.id).join(', ')} (details above and in ${outcome.reportPath})`);
    return {
      report: outcome.reportPath, seconds: outcome.seconds, sourceKind: outcome.sourceKind, failures: outcome.failures,
      experiments: outcome.outputs.map((e) => ({ id: e.id, title: e.title, seconds: e.seconds, verdicts: e.verdicts })),
    };
  },
});
