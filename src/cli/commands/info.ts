import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { cacheVerification, withFeatureCache } from '../../cache/reader.js';
import { labelCounts } from '../../cache/table.js';
import { deadUnitStats, deadUnitsJson, formatDeadUnits } from '../../summary/deadUnits.js';

export const command = defineCommand({
  name: 'info',
  summary: "print a feature cache file's metadata",
  usage: 'FILE [--json]',
  description:
    'Checks the file (Arrow IPC file format, schema, format version, n and d against the data) and prints its ' +
    'metadata, n, d, record batches, rows per label and the dead units of the layer on these rows (zero-variance units, ' +
    'and near-constant ones: std ≤ 1e-6 × the largest unit std, or one value on ≥ 99.9% of rows). Reads the features once for the dead units; ' +
    'verifies the content checksums on that read (--no-verify skips it).',
  positionals: 'FILE',
  options: {},
  run: async (args, io) => {
    if (args.positionals.length !== 1) throw new UsageError(`expected exactly one FILE, got ${args.positionals.length}`);
    const file = args.positionals[0];
    return withFeatureCache(file, async (cache) => {
      const meta = cache.meta;
      const labels = await cache.labels();
      cache.checkValues(new Float32Array(0), labels, 0, false);
      // Verifying reads the whole file once (skipped with --no-verify).
      const verify = cacheVerification();
      if (verify) await cache.verify();
      const checksums = !meta.checksums ? 'none (cannot be verified)' : verify ? `crc32 verified (features ${meta.checksums.features}, labels ${meta.checksums.labels}, index ${meta.checksums.index})` : 'not verified (--no-verify)';
      const counts = labelCounts(labels);
      const named = (l: string) => (meta.classNames[Number(l)] !== undefined ? `${l} (${meta.classNames[Number(l)]})` : l);
      io.print(`file: ${file}`);
      io.print(`size: ${(cache.byteLength / 2 ** 20).toFixed(2)} MiB, ${cache.numBatches} record batches, format version ${meta.formatVersion}`);
      io.print(`n: ${meta.n}`);
      io.print(`d: ${meta.d}`);
      io.print(`model: ${meta.modelId}${meta.weightsHash ? ` (weights ${meta.weightsHash})` : ''}, layer ${meta.layer}`);
      io.print(`dataset: ${meta.datasetId}, split ${meta.split}`);
      io.print(`classes: ${meta.classNames.length ? meta.classNames.join(', ') : '(names not recorded)'}`);
      io.print(`preprocessing: ${JSON.stringify(meta.preprocessing)}`);
      io.print(`backend: ${meta.backend}`);
      io.print(`checksums: ${checksums}`);
      io.print(`written by: diffused-redundancy ${meta.packageVersion} at ${meta.createdAt}`);
      if (Object.keys(meta.extra).length) io.print(`extra: ${JSON.stringify(meta.extra)}`);
      io.print('rows per label:');
      for (const [l, c] of Object.entries(counts)) io.print(`  ${named(l)}: ${c}`);
      const dead = deadUnitStats((await cache.rows()).features);
      io.print(formatDeadUnits(dead));
      return { file, bytes: cache.byteLength, batches: cache.numBatches, n: meta.n, d: meta.d, meta, labelCounts: counts, deadUnits: deadUnitsJson(dead) };
    });
  },
});
