import { defineCommand } from '../command.js';
import { extractFeaturesDetailed } from '../../models/extractFeatures.js';
import { PREPROCESS_PRESET_NAMES } from '../../models/preprocess.js';
import { TF_BACKEND_CHOICES } from '../../models/tfRuntime.js';
import { readFeatureCache } from '../../cache/reader.js';
import { deadUnitStats, deadUnitsJson, formatDeadUnits } from '../../summary/deadUnits.js';

export const command = defineCommand({
  name: 'extract',
  summary: 'run a model to its penultimate layer and write the feature cache',
  usage: '--model NAME|DIR|FILE.onnx --dataset NAME --split train|test [--limit N] [--batch B] [--layer NAME] [--also-layers A,B] [--input-size S] [--workers W] [--shard i/N]',
  description: [
    'Models: a pre-trained name (mobilenetv2-1.4, mobilenetv2-1.0, inceptionv3; see dr models), a zoo name (data/models/<name>/), a registry name (data/models/registry.json; local copy in',
    'data/models/external/<name>/ or $DR_MODELS_DIR/<name>/), a TF.js layers or graph model folder / model.json,',
    'or an .onnx file. The features are the layer named `penultimate` (zoo), the registry\'s node, the input of',
    'the final Dense layer, or the only output; --layer names any layer (TF.js layers), node (TF.js graph) or',
    'tensor (ONNX). Re-running with the same model, weights, layer, dataset, split and preprocessing finds',
    'the cache and computes nothing. --also-layers reads more layers in the same forward passes, each into its own',
    'cache file (pooled or flattened as --pool says), e.g. block outputs beside the penultimate layer for E10.',
    '--shard i/N (0 <= i < N) writes shard i into a directory of Arrow files',
    'that reads as one cache (run the N shards as a scheduler array job, e.g. SLURM --array=0-(N-1)).',
  ].join('\n'),
  options: {
    model: { type: 'string', required: true, meta: 'NAME|DIR|FILE', help: 'zoo or registry model name, TF.js model folder/model.json, .onnx file, or http(s) URL of a model.json/.onnx' },
    dataset: { type: 'string', required: true, meta: 'NAME', help: 'dataset name (see dr datasets)' },
    split: { type: 'string', required: true, choices: ['train', 'val', 'test', 'trainval'], help: 'dataset split' },
    'dataset-root': { type: 'string', meta: 'DIR', help: 'folder holding the dataset (default: its usual place under data/datasets)' },
    'image-size': { type: 'int', min: 8, meta: 'PX', help: 'side to read image-folder datasets at (Flowers102, Pets; default 32)' },
    download: { type: 'boolean', help: 'download the dataset when missing (checksummed)' },
    limit: { type: 'int', min: 1, meta: 'N', help: 'only the first N images of the split' },
    batch: { type: 'int', min: 1, default: 64, meta: 'B', help: 'images per forward pass' },
    layer: { type: 'string', meta: 'NAME', help: 'feature layer / node / tensor (default: the penultimate layer)' },
    'also-layers': { type: 'strings', meta: 'LIST', help: 'more layers / nodes / tensors read in the same forward passes, one cache file each' },
    shard: { type: 'string', meta: 'i/N', help: 'write shard i of N (0-based) of the split' },
    'input-size': { type: 'int', min: 1, meta: 'S', help: 'square input side for fully convolutional TF.js models (input layer and global pool rewritten in memory; e.g. 96 for mobilenetv2-1.4)' },
    pool: { type: 'string', choices: ['flatten', 'mean'], default: 'flatten', help: 'mean: global-average-pool 4-d layer outputs (intermediate layers; --layer and --also-layers alike) instead of flattening them' },
    workers: { type: 'int', min: 1, meta: 'W', help: 'worker threads for TF.js models, one backend each (default 1)' },
    backend: { type: 'string', choices: TF_BACKEND_CHOICES, default: 'auto', help: 'TF.js backend for TF.js models' },
    'onnx-provider': { type: 'string', choices: ['auto', 'cpu', 'cuda'], default: 'auto', help: 'onnxruntime execution provider for ONNX models' },
    threads: { type: 'int', min: 1, meta: 'T', help: 'onnxruntime threads per operator (default: all cores)' },
    preprocess: { type: 'string', meta: 'PRESET|JSON', help: `preprocessing preset (${PREPROCESS_PRESET_NAMES.join(', ')}) or a JSON spec; default from the model` },
    'cache-dir': { type: 'string', meta: 'DIR', help: 'feature cache folder (default data/cache)' },
    force: { type: 'boolean', help: 'recompute even when the cache exists' },
    offline: { type: 'boolean', help: 'never download registry models' },
  },
  async run(args, io) {
    const o = args.options;
    const r = await extractFeaturesDetailed({
      model: o.model,
      dataset: o.dataset,
      split: o.split,
      datasetOptions: { root: o['dataset-root'], size: o['image-size'], download: o.download || undefined },
      limit: o.limit,
      batch: o.batch,
      layer: o.layer,
      inputSize: o['input-size'],
      pool: o.pool === 'mean' ? 'mean' : undefined,
      extraLayers: o['also-layers']?.map((layer: string) => ({ layer, pool: o.pool === 'mean' ? ('mean' as const) : undefined })),
      workers: o.workers,
      shard: o.shard,
      backend: o.backend,
      onnxProvider: o['onnx-provider'],
      onnxThreads: o.threads,
      preprocessing: o.preprocess,
      cacheDir: o['cache-dir'],
      force: o.force,
      download: !o.offline,
    });
    const reported = [];
    for (const x of [r, ...r.extra]) {
      if (x.hit) io.print(`cache hit: ${x.path} (${x.n} × ${x.d}, ${x.modelId} layer ${x.layer}); nothing recomputed`);
      else io.print(`wrote ${x.path}: ${x.n} × ${x.d} features of ${x.modelId} layer ${x.layer} on ${x.backend} in ${x.seconds.toFixed(1)} s (${x.imagesPerSecond.toFixed(1)} images/s)`);
      const dead = deadUnitStats((await readFeatureCache(x.path)).features);
      io.print(formatDeadUnits(dead));
      if (x.shardDir) io.print(`shard directory: ${x.shardDir} (rows ${x.rows.start}..${x.rows.end - 1})`);
      reported.push({ ...x, deadUnits: deadUnitsJson(dead) });
    }
    const [main, ...extra] = reported;
    return { ...main, extra };
  },
});
