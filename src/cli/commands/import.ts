import { statSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { stderrProgress } from '../../util/progress.js';
import { importFeatureCache } from '../../cache/exchange.js';
import { parseMetaPairs } from '../metaArgs.js';

export const command = defineCommand({
  name: 'import',
  summary: 'build a cache from .npy features and labels (e.g. from PyTorch)',
  usage: '--features X.npy --labels y.npy [--index i.npy] [--meta-file M.json] [--meta k=v ...] --out FILE',
  description:
    'Features: 2-D float32 or float16 .npy (n, d), little-endian, C order (float16 is converted to float32 exactly). ' +
    'Labels (and --index): 1-D int32 or int64 .npy (n,). --meta-file takes metadata JSON as `dr export` writes it; ' +
    '--meta key=value sets modelId, weightsHash, layer, datasetId, split, backend, classNames (a,b,c or JSON array), ' +
    'preprocessing (JSON object); other keys go to the metadata\'s `extra`. The cache is written atomically.',
  options: {
    features: { type: 'string', help: 'features .npy (n, d) float32/float16', required: true, meta: 'X.npy' },
    labels: { type: 'string', help: 'labels .npy (n,) int32/int64', required: true, meta: 'y.npy' },
    index: { type: 'string', help: 'source-row index .npy (n,) int32/int64 (default 0..n-1)', meta: 'i.npy' },
    'meta-file': { type: 'string', help: 'metadata JSON (e.g. PREFIX.meta.json from dr export)', meta: 'M.json' },
    meta: { type: 'string', help: 'metadata key=value (repeatable)', repeat: true, meta: 'k=v' },
    out: { type: 'string', help: 'output cache .arrow file', required: true, meta: 'FILE' },
  },
  run: async (args, io) => {
    const o = args.options;
    const meta = parseMetaPairs(o.meta ?? []);
    const t0 = performance.now();
    let big = false;
    try {
      big = statSync(o.features).size > 64 * 2 ** 20;
    } catch {
      // a missing file is reported by the reader with its path
    }
    const written = await importFeatureCache(o.out, { features: o.features, labels: o.labels, index: o.index, metaFile: o['meta-file'] }, meta, {
      progress: big ? stderrProgress() : undefined,
    });
    const seconds = (performance.now() - t0) / 1000;
    io.print(`wrote ${o.out}: n=${written.n}, d=${written.d}, model ${written.modelId || '(unset)'} (${seconds.toFixed(2)} s)`);
    return { file: o.out, n: written.n, d: written.d, meta: written, seconds };
  },
});
