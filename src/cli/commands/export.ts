import { statSync } from 'node:fs';
import { defineCommand } from '../command.js';
import { checkOutputPrefix } from '../outputs.js';
import { stderrProgress } from '../../util/progress.js';
import { exportFeatureCache } from '../../cache/exchange.js';

export const command = defineCommand({
  name: 'export',
  summary: "write a cache's features and labels as .npy files",
  usage: '--features FILE --out PREFIX',
  description:
    'Writes PREFIX.features.npy (float32, n×d, C order: the same bytes as the cache), PREFIX.labels.npy (int32), ' +
    'PREFIX.index.npy (int32 source rows) and PREFIX.meta.json (the cache metadata), streaming batch by batch. ' +
    'Load in Python with numpy.load; `dr import` reverses it.',
  options: {
    features: { type: 'string', help: 'feature cache (.arrow) to export', required: true, meta: 'FILE' },
    out: { type: 'string', help: 'output prefix (folder and file stem)', required: true, meta: 'PREFIX' },
  },
  run: async (args, io) => {
    const o = args.options;
    const t0 = performance.now();
    checkOutputPrefix('out', o.out);
    const { paths, meta } = await exportFeatureCache(o.features, o.out, isBig(o.features) ? stderrProgress() : undefined);
    const seconds = (performance.now() - t0) / 1000;
    io.print(`wrote ${paths.features} (float32 ${meta.n}×${meta.d}), ${paths.labels}, ${paths.index} (int32 ${meta.n}), ${paths.meta} in ${seconds.toFixed(2)} s`);
    return { features: paths.features, labels: paths.labels, index: paths.index, meta: paths.meta, n: meta.n, d: meta.d, seconds };
  },
});

/** Progress lines only for files big enough to take noticeable time (> 64 MiB); a missing file is reported by the export itself. */
function isBig(path: string): boolean {
  try {
    return statSync(path).size > 64 * 2 ** 20;
  } catch {
    return false;
  }
}
