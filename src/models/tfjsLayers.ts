import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { UsageError } from '../util/errors.js';
import { completeExtractor, type FeatureExtractor, type TfjsExtractorOptions } from './extractor.js';
import { readAllAndDispose } from './tfRuntime.js';
import { preprocessForInputShape, type PreprocessSpec } from './preprocess.js';

/** The layer name the zoo (and our convention) gives the classifier's input. */
export const PENULTIMATE_LAYER_NAME = 'penultimate';

/**
 * The default feature layer of a layers model: the layer named `penultimate` if present,
 * else the input of the final Dense layer (the classifier), else the last layer.
 */
export function defaultLayersFeatureLayer(model: tfl.LayersModel): string {
  if (model.layers.some((l) => l.name === PENULTIMATE_LAYER_NAME)) return PENULTIMATE_LAYER_NAME;
  const last = model.layers[model.layers.length - 1];
  if (last.getClassName() === 'Dense') {
    const inbound = (last as any).inboundNodes?.[0]?.inboundLayers?.[0] as tfl.layers.Layer | undefined;
    if (inbound && inbound.getClassName() !== 'InputLayer') return inbound.name;
  }
  return last.name;
}

/** Options of the layers-model extractor (see {@link TfjsExtractorOptions}). */
export type LayersExtractorOptions = TfjsExtractorOptions;

/**
 * Wraps a loaded layers model as a {@link FeatureExtractor} cut at `layer` (default
 * {@link defaultLayersFeatureLayer}). Input is NHWC. Each forward pass runs inside `tf.tidy`
 * and the single output tensor is disposed after its values are read, so tensor memory stays
 * flat across batches.
 */
export async function layersExtractor(model: tfl.LayersModel, opts: LayersExtractorOptions): Promise<FeatureExtractor> {
  const wanted = [{ layer: opts.layer ?? defaultLayersFeatureLayer(model), pool: opts.pool }, ...(opts.extraLayers ?? [])];
  const outputs = wanted.map(({ layer: name }) => {
    try {
      return model.getLayer(name).output as tfl.SymbolicTensor;
    } catch {
      const names = model.layers.map((l) => l.name);
      throw new UsageError(`${opts.id}: no layer named '${name}' (layers: ${names.join(', ')})`);
    }
  });
  const cut = tfl.model({ inputs: model.inputs, outputs });
  const shape = model.inputs[0].shape;
  if (shape.length !== 4) throw new UsageError(`${opts.id}: expected an image input [batch, height, width, channels], got [${shape.join(', ')}]`);
  const [, h, w, c] = shape as number[];
  const spec = opts.preprocessing ?? preprocessForInputShape(h, w, c);
  if (spec.height !== h || spec.width !== w || spec.channels !== c) {
    throw new UsageError(`${opts.id}: preprocessing '${spec.name}' makes ${spec.height}×${spec.width}×${spec.channels} images but the model takes ${h}×${w}×${c}`);
  }
  // `+gap` is recorded only for outputs the pool really averages (rank-4 maps).
  const pooled = outputs.map((o, i) => wanted[i].pool === 'mean' && o.shape.length === 4);
  const recorded = wanted.map((x, i) => (pooled[i] ? `${x.layer}+gap` : x.layer));
  return completeExtractor({
    id: opts.id,
    format: 'tfjs-layers',
    layer: recorded[0],
    extraLayers: recorded.slice(1),
    weightsHash: opts.weightsHash,
    preprocessing: { ...spec, layout: 'NHWC' },
    backend: `tfjs-${tf.getBackend()}`,
    async forwardAll(input: Float32Array, n: number): Promise<Float32Array[]> {
      const outs = tf.tidy(() => {
        const predicted = cut.predict(tf.tensor4d(input, [n, h, w, c]));
        const ys = Array.isArray(predicted) ? predicted : [predicted];
        return ys.map((y, i) => {
          if (pooled[i]) return tf.mean(y, [1, 2]);
          return y.rank > 2 ? tf.reshape(y, [n, -1]) : y;
        });
      });
      return readAllAndDispose(outs);
    },
    async dispose(): Promise<void> {
      model.dispose();
    },
  });
}
