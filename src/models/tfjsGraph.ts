import * as tf from '@tensorflow/tfjs-core';
import type { GraphModel } from '@tensorflow/tfjs-converter';
import { UsageError } from '../util/errors.js';
import { completeExtractor, type FeatureExtractor } from './extractor.js';
import { readFeaturesAndDispose } from './tfRuntime.js';
import { preprocessForInputShape, type PreprocessSpec, type TensorLayout } from './preprocess.js';

export interface GraphExtractorOptions {
  id: string;
  weightsHash: string;
  /** Node whose output is the features (any node of the graph, e.g. the pooling before the classifier). Default: the model's only output. */
  layer?: string;
  preprocessing?: PreprocessSpec;
  /** `mean`: average a rank-4 NHWC output over height and width (the node is then recorded as `<node>+gap`). Default: flatten. */
  pool?: 'flatten' | 'mean';
}

/** Image input geometry of a graph model from its declared input shape: NCHW when dim 1 is 1 or 3 and dim 3 is not. */
function inputGeometry(shape: number[] | undefined, spec?: PreprocessSpec): { layout: TensorLayout; h?: number; w?: number; c?: number } {
  if (!shape || shape.length !== 4) return { layout: spec?.layout ?? 'NHWC' };
  const known = (v: number) => (v > 0 ? v : undefined);
  const nchw = (shape[1] === 1 || shape[1] === 3) && !(shape[3] === 1 || shape[3] === 3);
  if (spec?.layout === 'NCHW' || (spec?.layout === undefined && nchw)) return { layout: 'NCHW', c: known(shape[1]), h: known(shape[2]), w: known(shape[3]) };
  return { layout: 'NHWC', h: known(shape[1]), w: known(shape[2]), c: known(shape[3]) };
}

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
  const outputName = node;
  let useAsync = false;
  const gap = opts.pool === 'mean';
  const flatten = (y: tf.Tensor, n: number) => (y.rank === 2 ? y : gap && y.rank === 4 && geo.layout === 'NHWC' ? tf.mean(y, [1, 2]) : tf.reshape(y, [n, -1]));
  const core = {
    id: opts.id,
    format: 'tfjs-graph' as const,
    layer: gap ? `${outputName}+gap` : outputName,
    weightsHash: opts.weightsHash,
    preprocessing: { ...spec, layout: geo.layout },
    backend: `tfjs-${tf.getBackend()}`,
    async forward(data: Float32Array, n: number): Promise<Float32Array> {
      let out: tf.Tensor;
      if (!useAsync) {
        try {
          out = tf.tidy(() => flatten(model.execute({ [input.name]: tf.tensor(data, [n, ...dims]) }, outputName) as tf.Tensor, n));
        } catch (err: any) {
          if (!/executeAsync/.test(String(err?.message))) {
            if (/not found|cannot find|not exist/i.test(String(err?.message))) throw new UsageError(`${opts.id}: node '${outputName}' is not in the graph (${err.message})`);
            throw err;
          }
          useAsync = true;
          return core.forward(data, n);
        }
      } else {
        const x = tf.tensor(data, [n, ...dims]);
        try {
          const y = (await model.executeAsync({ [input.name]: x }, outputName)) as tf.Tensor;
          out = flatten(y, n);
          if (out !== y) y.dispose();
        } finally {
          x.dispose();
        }
      }
      return readFeaturesAndDispose(out);
    },
    async dispose(): Promise<void> {
      model.dispose();
    },
  };
  return completeExtractor(core);
}
