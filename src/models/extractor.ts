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

/**
 * A network cut at one layer. `extract` preprocesses dataset images and returns the layer's
 * activations, n×d row-major (higher-rank outputs are flattened per image).
 */
export interface FeatureExtractor {
  /** Model identity recorded in caches, e.g. `zoo/resnet-w64`, `onnx/resnet50`. */
  id: string;
  format: ModelFormat;
  /** Layer (TF.js layers), node (TF.js graph) or tensor (ONNX) whose activations are the features. */
  layer: string;
  /** Feature width (neurons). */
  d: number;
  /** SHA-256 hex of the weight bytes (model file for ONNX). */
  weightsHash: string;
  /** Preprocessing applied by `extract`, with the layout the model takes. */
  preprocessing: PreprocessSpec & { layout: TensorLayout };
  /** Where it runs, e.g. `tfjs-wasm`, `onnxruntime-cpu`. */
  backend: string;
  /** images n×h×w×c in [0, 1] → features n×d Float32Array. */
  extract(batch: ImageBatch): Promise<Float32Array>;
  /** Already-preprocessed model input (n×H×W×C or n×C×H×W per `preprocessing.layout`) → n×d. */
  forward(input: Float32Array, n: number): Promise<Float32Array>;
  /** Frees weights / sessions. */
  dispose(): Promise<void>;
}

/** The parts every extractor supplies; {@link completeExtractor} adds `extract` and `d`. */
export type ExtractorCore = Omit<FeatureExtractor, 'extract' | 'd'>;

/**
 * Adds `extract` (preprocess then forward) and measures `d` with one all-zero input image,
 * so the width is known before any cache file is opened.
 */
export async function completeExtractor(core: ExtractorCore): Promise<FeatureExtractor> {
  const p = core.preprocessing;
  const probe = await core.forward(new Float32Array(p.height * p.width * p.channels), 1);
  if (probe.length < 1) throw new Error(`${core.id}: layer '${core.layer}' produced no values`);
  return {
    ...core,
    d: probe.length,
    async extract(batch: ImageBatch): Promise<Float32Array> {
      const input = preprocessImages(batch.images, batch.n, batch.height, batch.width, batch.channels, p, p.layout);
      const out = await core.forward(input, batch.n);
      if (out.length !== batch.n * probe.length) {
        throw new Error(`${core.id}: layer '${core.layer}' gave ${out.length} values for ${batch.n} images, expected ${batch.n}×${probe.length}`);
      }
      return out;
    },
  };
}
