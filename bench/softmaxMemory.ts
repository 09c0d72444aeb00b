/**
 * `node dist/bench/softmaxMemory.js [--ks 1843,1638,1024,614] [--auto]`: peak RSS of softmax probes on
 * the paper-scale synthetic pair (45,000 × 2048 train, 10,000 test, the same features as
 * bench:analysis) after one shared Gram, probe by probe, largest subset first (one seed's nested
 * subsets). Prints RSS after loading the data, after the Gram, and after each probe (GiB), with the
 * probe's time, accuracy, iterations and objective evaluations (and, with --auto, the validation walk's). A diagnostic of where the softmax phase's memory goes, not a benchmark.
 */
import { synthesizeFeatures } from '../src/cache/synth.js';
import { RidgeGram } from '../src/probe/ridge.js';
import { runProbe } from '../src/probe/run.js';
import { randomNeuronIndices } from '../src/select/randomNeurons.js';
import { defaultLinalg } from '../src/linalg/index.js';

const GiB = 2 ** 30;
const argAt = process.argv.indexOf('--ks');
const ks = (argAt > 0 ? process.argv[argAt + 1] : '1843,1638,1024,614').split(',').map(Number);
const auto = process.argv.includes('--auto');
const n = 45000, m = 10000, d = 2048, classes = 10;
const show = (what: string): void => {
  const rss = process.memoryUsage().rss / GiB;
  const peak = process.resourceUsage().maxRSS * 1024 / GiB;
  console.log(`${what.padEnd(44)} rss ${rss.toFixed(3)} GiB, peak ${peak.toFixed(3)} GiB`);
};
show('start');
const linalg = await defaultLinalg();
const all = synthesizeFeatures({ n: n + m, d, classes, seed: 7, rank: 32, separation: 0.5, noise: 1, nonNegative: true });
const train = { features: { data: all.features.data.subarray(0, n * d), n, d }, labels: all.labels.subarray(0, n) };
const test = { features: { data: all.features.data.subarray(n * d), n: m, d }, labels: all.labels.subarray(n) };
show('data');
const ridgeGram = await RidgeGram.build(train.features, train.labels, { linalg, classes, holdout: auto });
show(`shared Gram${auto ? ' + holdout' : ''}`);
for (const k of ks) {
  if (!(Number.isInteger(k) && k >= 1 && k <= d)) {
    console.error(`--ks: expected integers in 1..${d}, got ${k}`);
    process.exit(2);
  }
  const indices = k === d ? Int32Array.from({ length: d }, (_, i) => i) : randomNeuronIndices(d, k, 1);
  const r = await runProbe(train, test, { method: k === d ? 'all' : 'random', k, d, fraction: k / d, seed: 1, indices }, { probe: 'softmax', l2: auto ? 'auto' : 1e-4, linalg, classes, ridgeGram });
  const walk = auto ? `, walk ${r.hyper.validationIterations} it over ${r.penalty!.curve.l2.length} λ` : '';
  show(`softmax k=${k} ${r.seconds.toFixed(1)} s acc ${r.accuracy.toFixed(4)}, fit ${r.hyper.iterations} it / ${r.hyper.evaluations} evaluations${walk}`);
}
