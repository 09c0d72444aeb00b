import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { UsageError } from '../util/errors.js';
import { completeExtractor, type FeatureExtractor, type TfjsExtractorOptions } from './extractor.js';
import { readAllAndDispose } from './tfRuntime.js';
import { preprocessForInputShape, type PreprocessSpec, type TensorLayout } from './preprocess.js';

/** Options of the graph-model extractor (see {@link TfjsExtractorOptions}). */
export type GraphExtractorOptions = TfjsExtractorOptions;

/** Image input geometry of a graph model from its declared input shape: NCHW when dim 1 is 1 or 3 and dim 3 is not. */
function inputGeometry(shape: number[] | undefined, spec?: PreprocessSpec): { layout: TensorLayout; h?: number; w?: number; c?: number } {
  if (!shape || shape.length !== 4) return { layout: spec?.layout ?? 'NHWC' };
  const known = (v: number) => (v > 0 ? v : undefined);
  const nchw = (shape[1] === 1 || shape[1] === 3) && !(shape[3] === 1 || shape[3] === 3);
  if (spec?.layout === 'NCHW' || (spec?.layout === undefined && nchw)) return { layout: 'NCHW', c: known(shape[1]), h: known(shape[2]), w: known(shape[3]) };
  return { layout: 'NHWC', h: known(shape[1]), w: known(shape[2]), c: known(shape[3]) };
}

/** GraphModel returns a bare tensor when one output was asked for. */
const asList = (y: tf.Tensor | tf.Tensor[]): tf.Tensor[] => (Array.isArray(y) ? y : [y]);

/**
 * Wraps a TF.js graph model (converted SavedModel / GraphDef) as a {@link FeatureExtractor}
 * returning node `layer`'s output. Synchronous graphs run under `tf.tidy`; graphs with control
 * flow fall back to `executeAsync`, and every intermediate is disposed by the executor.
 */
export async function graphExtractor(model: GraphModel, opts: GraphExtractorOptions): Promise<FeatureExtractor> {
  const outputs = model.outputs.map((o) => o.name);
  let node = opts.layer;
  if (!node) {
    if (outputs.length !== 1) throw new UsageError(`${opts.id}: the graph has ${outputs.length} outputs (${outputs.join(', ')}); name the feature node with --layer`);
    node = outputs[0];
  }
  const input = model.inputs[0];
  if (model.inputs.length !== 1) throw new UsageError(`${opts.id}: expected one image input, the graph has ${model.inputs.length} (${model.inputs.map((i) => i.name).join(', ')})`);
  const geo = inputGeometry(input.shape, opts.preprocessing);
  let spec = opts.preprocessing;
  if (!spec) {
    if (!geo.h || !geo.w || !geo.c) throw new UsageError(`${opts.id}: input '${input.name}' has no fixed size [${input.shape ?? '?'}]; give --preprocess`);
    spec = preprocessForInputShape(geo.h, geo.w, geo.c);
  }
  const { height: H, width: W, channels: C } = spec;
  if ((geo.h && geo.h !== H) || (geo.w && geo.w !== W) || (geo.c && geo.c !== C)) {
    throw new UsageError(`${opts.id}: preprocessing '${spec.name}' makes ${H}×${W}×${C} images but input '${input.name}' is [${input.shape}]`);
  }
  const dims = geo.layout === 'NHWC' ? [H, W, C] : [C, H, W];
  const wanted = [{ layer: node, pool: opts.pool }, ...(opts.extraLayers ?? [])];
  const outputNames = wanted.map((w) => w.layer);
  let useAsync = false;
  /** The requested nodes' raw outputs for an n-image input (the caller disposes them). */
  const run = async (data: Float32Array, n: number): Promise<tf.Tensor[]> => {
    if (!useAsync) {
      try {
        return tf.tidy(() => asList(model.execute({ [input.name]: tf.tensor(data, [n, ...dims]) }, outputNames)));
      } catch (err: any) {
        if (!/executeAsync/.test(String(err?.message))) {
          if (/not found|cannot find|not exist/i.test(String(err?.message))) throw new UsageError(`${opts.id}: node '${outputNames.join("' or '")}' is not in the graph (${err.message})`);
          throw err;
        }
        useAsync = true;
      }
    }
    const x = tf.tensor(data, [n, ...dims]);
    try {
      return asList(await model.executeAsync({ [input.name]: x }, outputNames));
    } finally {
      x.dispose();
    }
  };
  // Output ranks from one probe image: `+gap` is recorded only for outputs the pool really averages.
  const probe = await run(new Float32Array(H * W * C), 1);
  const pooled = probe.map((y, i) => wanted[i].pool === 'mean' && y.rank === 4 && geo.layout === 'NHWC');
  for (const y of probe) y.dispose();
  const reduce = (y: tf.Tensor, n: number, i: number) => (y.rank === 2 ? y : pooled[i] ? tf.mean(y, [1, 2]) : tf.reshape(y, [n, -1]));
  const recorded = wanted.map((w, i) => (pooled[i] ? `${w.layer}+gap` : w.layer));
  const core = {
    id: opts.id,
    format: 'tfjs-graph' as const,
    layer: recorded[0],
    extraLayers: recorded.slice(1),
    weightsHash: opts.weightsHash,
    preprocessing: { ...spec, layout: geo.layout },
    backend: `tfjs-${tf.getBackend()}`,
    async forwardAll(data: Float32Array, n: number): Promise<Float32Array[]> {
      const ys = await run(data, n);
      const outs = tf.tidy(() => ys.map((y, i) => reduce(y, n, i)));
      for (let i = 0; i < ys.length; i++) if (outs[i] !== ys[i]) ys[i].dispose();
      return readAllAndDispose(outs);
    },
    async dispose(): Promise<void> {
      model.dispose();
    },
  };
  return completeExtractor(core);
}
