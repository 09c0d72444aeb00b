import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfc from '@tensorflow/tfjs-converter';
import { dataDir } from '../util/paths.js';
import { UsageError, OptionError } from '../util/errors.js';
import type { ExtraLayer, FeatureExtractor, ModelFormat } from './extractor.js';
import { onnxExtractor, type OnnxProviderChoice } from './onnxExtractor.js';
import { resolvePreprocess, type PreprocessSpec } from './preprocess.js';
import { downloadModelFiles, ensureRegistryModel, readModelRegistry, type RegistryModel } from './registry.js';
import { graphExtractor } from './tfjsGraph.js';
import { fileModelHandler, readTfjsModelJson, readTfjsWeights, resolveModelJsonPath, sha256Hex } from './tfjsFiles.js';
import { layersExtractor } from './tfjsLayers.js';
import { loadGraphModelAtSize, loadLayersModelAtSize, type ModelArtifactsInMemory } from './inputSize.js';
import { ensurePretrainedModel, findPretrainedModel, pretrainedManifest, type PretrainedModel } from './pretrained.js';
import { useTfBackend, type TfBackendChoice } from './tfRuntime.js';

export interface LoadExtractorOptions {
  /** Feature layer / node / tensor name; default: the model's penultimate (zoo `penultimate`, registry entry, classifier input, or the only output). */
  layer?: string;
  /** Preset name, JSON string or spec; default from the zoo manifest, the registry, or the model's input shape. */
  preprocessing?: string | Partial<PreprocessSpec>;
  /** TF.js backend for TF.js models (default `auto`). */
  backend?: TfBackendChoice;
  /** onnxruntime provider for ONNX models (default `auto`: CUDA when available, else CPU). */
  onnxProvider?: OnnxProviderChoice;
  /** onnxruntime threads per operator. */
  onnxThreads?: number;
  /** Folder holding zoo models (default data/models). */
  zooDir?: string;
  /** Registry file (default data/models/registry.json). */
  registryPath?: string;
  /** Allow downloading registry models that have a URL (default true). */
  download?: boolean;
  fetchImpl?: typeof fetch;
  /** Square input side for fully convolutional TF.js models: the input layer and the fixed global pool are rewritten in memory (default: the model's own size). */
  inputSize?: number;
  /** `mean`: global-average-pool a rank-4 feature map (intermediate layers) instead of flattening it. */
  pool?: 'flatten' | 'mean';
  /**
   * More layers to read in the same forward pass (e.g. E10's block outputs beside the penultimate):
   * the extractor's `heads` then list the feature layer first and these after it.
   */
  extraLayers?: ExtraLayer[];
}

/** What a model source string refers to. */
export interface ResolvedModelSource {
  kind: 'zoo' | 'registry' | 'path' | 'pretrained';
  /** Catalogue entry of a real pre-trained network (data/models/pretrained/catalogue.json). */
  pretrained?: PretrainedModel;
  format: ModelFormat;
  /** Local file: .onnx or model.json. */
  file: string;
  id: string;
  registry?: RegistryModel;
  manifest?: any;
}

function tfjsFormatOf(json: { format?: string; modelTopology: any }): ModelFormat {
  if (json.format === 'graph-model') return 'tfjs-graph';
  if (json.format === 'layers-model') return 'tfjs-layers';
  return json.modelTopology?.node ? 'tfjs-graph' : 'tfjs-layers';
}

/**
 * Decides what `source` is: an `.onnx` file, a TF.js model folder / model.json, a zoo model
 * name (data/models/<name>/model.json), or a registry model name (local copy, else download).
 * Throws a UsageError listing the zoo and registry names when nothing matches.
 */
export async function resolveModelSource(source: string, opts: LoadExtractorOptions = {}): Promise<ResolvedModelSource> {
  const zooDir = opts.zooDir ?? join(dataDir(), 'models');
  if (/^https?:\/\//i.test(source)) {
    // Downloaded once into data/models/external/url-<hash>/, then loaded as a local path.
    if (!/\.(onnx|json)$/i.test(new URL(source).pathname)) throw new OptionError('model', 'a URL must end in .onnx or model.json', source);
    const local = join(dataDir(), 'models', 'external', `url-${sha256Hex(new TextEncoder().encode(source)).slice(0, 12)}`, basename(new URL(source).pathname));
    if (!existsSync(local)) {
      if (opts.download === false) throw new OptionError('model', 'not downloaded yet and downloads are off', source);
      try {
        await downloadModelFiles(source, local, opts.fetchImpl);
      } catch (err: any) {
        throw new OptionError('model', `unreachable (${err?.cause?.code ?? err?.message ?? err}); download it elsewhere and pass the local file or folder instead`, source);
      }
    }
    const resolved = await resolveModelSource(local, opts);
    return { ...resolved, id: `url/${basename(dirname(new URL(source).pathname)) || 'model'}-${basename(new URL(source).pathname)}` };
  }
  if (existsSync(source)) {
    const abs = resolve(source);
    if (statSync(abs).isFile() && abs.endsWith('.onnx')) return { kind: 'path', format: 'onnx', file: abs, id: `onnx/${basename(abs, '.onnx')}` };
    const file = resolveModelJsonPath(abs);
    const json = await readTfjsModelJson(file);
    const format = tfjsFormatOf(json);
    const name = basename(dirname(file));
    const manifestFile = join(dirname(file), 'manifest.json');
    const manifest = existsSync(manifestFile) ? JSON.parse(await readFile(manifestFile, 'utf8')) : undefined;
    return { kind: 'path', format, file, id: `${format === 'tfjs-graph' ? 'tfjs-graph' : 'tfjs'}/${name}`, manifest };
  }
  const pretrained = /^[\w.-]+$/.test(source) ? findPretrainedModel(source) : undefined;
  if (pretrained) {
    const dir = await ensurePretrainedModel(pretrained);
    return { kind: 'pretrained', format: pretrained.format, file: join(dir, 'model.json'), id: `pretrained/${pretrained.name}`, pretrained, manifest: pretrainedManifest(pretrained) };
  }
  const zooJson = join(zooDir, source, 'model.json');
  if (/^[\w.-]+$/.test(source) && existsSync(zooJson)) {
    const manifestFile = join(zooDir, source, 'manifest.json');
    const manifest = existsSync(manifestFile) ? JSON.parse(await readFile(manifestFile, 'utf8')) : undefined;
    return { kind: 'zoo', format: 'tfjs-layers', file: zooJson, id: `zoo/${source}`, manifest };
  }
  const registry = await readModelRegistry(opts.registryPath).catch(() => [] as RegistryModel[]);
  const entry = registry.find((m) => m.name === source);
  if (entry) {
    const file = await ensureRegistryModel(entry, { download: opts.download, fetchImpl: opts.fetchImpl });
    return { kind: 'registry', format: entry.format, file, id: `registry/${entry.name}`, registry: entry };
  }
  const zooNames = existsSync(zooDir) ? (await import('node:fs')).readdirSync(zooDir).filter((n) => existsSync(join(zooDir, n, 'model.json'))) : [];
  throw new UsageError(
    `--model '${source}' is not a file, a folder with model.json, a zoo model (${zooNames.join(', ') || 'none under ' + zooDir}) or a registry model (${registry.map((m) => m.name).join(', ') || 'registry not found'})`,
  );
}

/** RGB pixels in [0, 1] resized straight to side×side, no normalisation: what nsfwjs feeds its models. */
function unitRangeRgb(side: number): PreprocessSpec {
  return { name: 'unit-range', height: side, width: side, channels: 3, resize: null, mean: [0, 0, 0], std: [1, 1, 1], layout: 'NHWC' };
}

/** The preprocessing a zoo manifest declares ('unit-range' = [0, 1] pixels at the input shape, no normalisation). */
function manifestPreprocess(manifest: any): PreprocessSpec | undefined {
  if (!manifest?.inputShape) return undefined;
  const [h, w, c] = manifest.inputShape as number[];
  if (manifest.preprocessing === 'unit-range' || manifest.preprocessing === undefined) {
    return { name: 'unit-range', height: h, width: w, channels: c as 1 | 3, resize: null, mean: new Array(c).fill(0), std: new Array(c).fill(1), layout: 'NHWC' };
  }
  return resolvePreprocess(manifest.preprocessing);
}

/**
 * Loads a model as a {@link FeatureExtractor} cut at its penultimate layer (or `opts.layer`).
 * `source`: zoo name, registry name, model folder / model.json (TF.js layers or graph), or
 * `.onnx` file. TF.js models run on `opts.backend`; ONNX on onnxruntime (CUDA when present).
 * The returned extractor's `d` is measured with one forward pass.
 */
export async function loadFeatureExtractor(source: string, opts: LoadExtractorOptions = {}): Promise<FeatureExtractor> {
  const src = await resolveModelSource(source, opts);
  const side = opts.inputSize ?? src.pretrained?.inputSize;
  const declared = src.registry ? resolvePreprocess(src.registry.preprocessing) : src.pretrained ? unitRangeRgb(side!) : manifestPreprocess(src.manifest);
  if (declared && src.registry) declared.layout = src.registry.layout;
  const preprocessing = opts.preprocessing !== undefined ? resolvePreprocess(opts.preprocessing, declared) : declared;
  const layer = opts.layer ?? src.registry?.penultimate ?? src.pretrained?.featureNode ?? (src.manifest?.penultimateLayer as string | undefined);
  // The input side joins the id (and so the cache key) whenever it was asked for.
  const id = opts.inputSize !== undefined ? `${src.id}@${opts.inputSize}` : src.id;
  let extractor: FeatureExtractor;
  if (src.format === 'onnx') {
    const bytes = new Uint8Array(await readFile(src.file));
    if (opts.inputSize !== undefined) throw new OptionError('inputSize', `only TF.js models can be resized here; ${src.id} is ONNX (export it at the size you need)`);
    extractor = await onnxExtractor(bytes, { id, layer, preprocessing, provider: opts.onnxProvider, intraOpThreads: opts.onnxThreads, pool: opts.pool, extraLayers: opts.extraLayers });
  } else {
    await useTfBackend(opts.backend ?? 'auto');
    const json = await readTfjsModelJson(src.file);
    const { specs, data } = await readTfjsWeights(src.file, json);
    const weightsHash = sha256Hex(data);
    const handler = fileModelHandler(src.file);
    const artifacts: ModelArtifactsInMemory = {
      modelTopology: json.modelTopology, weightSpecs: specs, weightData: data, format: json.format, generatedBy: json.generatedBy,
      convertedBy: json.convertedBy ?? undefined, userDefinedMetadata: json.userDefinedMetadata,
    };
    const resize = opts.inputSize !== undefined ? { name: src.pretrained?.name ?? src.id, size: opts.inputSize, poolNode: src.pretrained?.poolNode, minSize: src.pretrained?.minInputSize } : undefined;
    const common = { id, layer, preprocessing, weightsHash, pool: opts.pool, extraLayers: opts.extraLayers };
    if (src.format === 'tfjs-layers') {
      const model = resize ? await loadLayersModelAtSize(artifacts, resize) : await tfl.loadLayersModel(handler);
      extractor = await layersExtractor(model, common);
    } else {
      const model = resize ? await loadGraphModelAtSize(artifacts, resize) : await tfc.loadGraphModel(handler);
      extractor = await graphExtractor(model, common);
    }
  }
  const expected = src.registry?.width ?? (src.pretrained && layer === src.pretrained.featureNode ? src.pretrained.width : undefined);
  if (expected !== undefined && extractor.d !== expected) {
    process.stderr.write(`warning: ${src.id} layer '${extractor.layer}' has width ${extractor.d}, the catalogue expects ${expected}\n`);
  }
  return extractor;
}
