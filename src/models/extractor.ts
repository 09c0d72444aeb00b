import { UsageError } from '../util/errors.js';
import { preprocessImages, type PreprocessSpec, type TensorLayout } from './preprocess.js';

/** Model file formats the extractors read. */
export type ModelFormat = 'tfjs-layers' | 'tfjs-graph' | 'onnx';

/** A batch of dataset images: n×height×width×channels row-major (NHWC) floats in [0, 1]. */
export interface ImageBatch {
  images: Float32Array;
  n: number;
  height: number;
  width: number;
  channels: number;
}

/** A further layer to read in the same forward pass as the feature layer. */
export interface ExtraLayer {
  /** Layer / node / tensor name in the model. */
  layer: string;
  /** `mean`: global-average-pool a rank-4 NHWC output (recorded as `<layer>+gap`); default: flatten. */
  pool?: 'flatten' | 'mean';
}

/** What the TF.js extractors (layers and graph models) take besides the model. */
export interface TfjsExtractorOptions {
  /** Model identity recorded in caches. */
  id: string;
  /** SHA-256 hex of the weight bytes. */
  weightsHash: string;
  /** Layer (layers model) or node (graph) whose output is the features; default: the model's penultimate layer or only output. */
  layer?: string;
  preprocessing?: PreprocessSpec;
  /** `mean`: global-average-pool a rank-4 NHWC output (recorded as `<layer>+gap`); default: flatten. */
  pool?: ExtraLayer['pool'];
  /** More layers read in the same forward pass (e.g. E10's block outputs beside the penultimate). */
  extraLayers?: ExtraLayer[];
}

/** One output of an extractor's forward pass: the recorded layer name and its width. */
export interface ExtractorHead {
  /** Layer / node / tensor name as recorded in caches (`<node>+gap` when global-average-pooled). */
  layer: string;
  /** Width (neurons). */
  d: number;
}

/** True when two head lists name the same layers with the same widths, in the same order. */
export function sameHeads(a: readonly ExtractorHead[], b: readonly ExtractorHead[]): boolean {
  return a.length === b.length && a.every((h, i) => h.layer === b[i].layer && h.d === b[i].d);
}

/**
 * A network cut at one layer, optionally with more layers read in the same forward pass. `extract`
 * preprocesses dataset images and returns the feature layer's activations, n×d row-major
 * (higher-rank outputs are flattened per image, or pooled); `extractAll` returns every head's.
 */
export interface FeatureExtractor {
  /** Model identity recorded in caches, e.g. `zoo/resnet-w64`, `onnx/resnet50`. */
  id: string;
  format: ModelFormat;
  /** Layer (TF.js layers), node (TF.js graph) or tensor (ONNX) whose activations are the features. */
  layer: string;
  /** Feature width (neurons). */
  d: number;
  /**
   * Every output of one forward pass: `{layer, d}` first, then the extra layers asked for at load
   * time (`LoadExtractorOptions.extraLayers`), in that order.
   */
  heads: ExtractorHead[];
  /** SHA-256 hex of the weight bytes (model file for ONNX). */
  weightsHash: string;
  /** Preprocessing applied by `extract`, with the layout the model takes. */
  preprocessing: PreprocessSpec & { layout: TensorLayout };
  /** Where it runs, e.g. `tfjs-wasm`, `onnxruntime-cpu`. */
  backend: string;
  /** images n×h×w×c in [0, 1] → features n×d Float32Array. */
  extract(batch: ImageBatch): Promise<Float32Array>;
  /** images n×h×w×c in [0, 1] → one n×heads[i].d Float32Array per head, from one forward pass. */
  extractAll(batch: ImageBatch): Promise<Float32Array[]>;
  /** Already-preprocessed model input (n×H×W×C or n×C×H×W per `preprocessing.layout`) → n×d. */
  forward(input: Float32Array, n: number): Promise<Float32Array>;
  /** Already-preprocessed model input → one n×heads[i].d array per head. */
  forwardAll(input: Float32Array, n: number): Promise<Float32Array[]>;
  /** Frees weights / sessions. */
  dispose(): Promise<void>;
}

/**
 * The parts every extractor supplies: `forwardAll` returns the feature layer's output first, then one
 * per name of `extraLayers`. {@link completeExtractor} adds the rest.
 */
export type ExtractorCore = Omit<FeatureExtractor, 'extract' | 'extractAll' | 'forward' | 'd' | 'heads'> & {
  /** Recorded names of the extra layers `forwardAll` returns after the feature layer. */
  extraLayers?: string[];
};

/**
 * Adds `extract`/`extractAll` (preprocess then forward), `forward`, and measures every head's width
 * with one all-zero input image, so the widths are known before any cache file is opened.
 */
export async function completeExtractor(core: ExtractorCore): Promise<FeatureExtractor> {
  const p = core.preprocessing;
  const names = [core.layer, ...(core.extraLayers ?? [])];
  // Two heads of one name would be one cache file written twice.
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated !== undefined) throw new UsageError(`${core.id}: layer '${repeated}' is asked for more than once (feature layer: '${core.layer}'; extra layers: ${(core.extraLayers ?? []).join(', ') || 'none'})`);
  const probe = await core.forwardAll(new Float32Array(p.height * p.width * p.channels), 1);
  if (probe.length !== names.length) throw new Error(`${core.id}: the forward pass gave ${probe.length} outputs for ${names.length} layers (${names.join(', ')})`);
  probe.forEach((out, i) => {
    if (out.length < 1) throw new Error(`${core.id}: layer '${names[i]}' produced no values`);
  });
  const heads = names.map((layer, i) => ({ layer, d: probe[i].length }));
  const { extraLayers: _extras, ...rest } = core;
  const forwardAll = async (input: Float32Array, n: number): Promise<Float32Array[]> => {
    const outs = await core.forwardAll(input, n);
    heads.forEach((h, i) => {
      if (outs[i]?.length !== n * h.d) throw new Error(`${core.id}: layer '${h.layer}' gave ${outs[i]?.length ?? 0} values for ${n} images, expected ${n}×${h.d}`);
    });
    return outs;
  };
  const extractAll = (batch: ImageBatch) => forwardAll(preprocessImages(batch.images, batch.n, batch.height, batch.width, batch.channels, p, p.layout), batch.n);
  return {
    ...rest,
    d: heads[0].d,
    heads,
    forwardAll,
    extractAll,
    forward: async (input, n) => (await forwardAll(input, n))[0],
    extract: async (batch) => (await extractAll(batch))[0],
  };
}
