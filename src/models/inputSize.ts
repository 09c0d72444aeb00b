import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as tfc from '@tensorflow/tfjs-converter';
import { UsageError } from '../util/errors.js';

/** In-memory TF.js model artifacts: topology JSON plus weights (never written back to disk). */
export interface ModelArtifactsInMemory {
  modelTopology: any;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
  format?: string;
  generatedBy?: string;
  convertedBy?: string;
  userDefinedMetadata?: any;
  signature?: any;
}

/** What to rewrite and how to name errors. */
export interface InputSizeRewrite {
  /** Model name for error messages. */
  name: string;
  /** New square input side, pixels. */
  size: number;
  /** The fixed global average pool (layer or node name); default: the last AveragePooling2D / AvgPool. */
  poolNode?: string;
  /** Smallest side the network's strides accept (checked before anything runs). */
  minSize?: number;
}

const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));

function checkSize(r: InputSizeRewrite): void {
  if (!Number.isInteger(r.size) || r.size < 1) throw new UsageError(`${r.name}: --input-size must be a positive integer, got ${r.size}`);
  if (r.minSize !== undefined && r.size < r.minSize) {
    throw new UsageError(`${r.name}: --input-size ${r.size} is too small for the network's strides (at least ${r.minSize} pixels)`);
  }
}

function layerList(topology: any): any[] {
  const layers = topology?.model_config?.config?.layers ?? topology?.config?.layers;
  if (!Array.isArray(layers)) throw new UsageError('input-size rewrite: not a functional Keras topology (no model_config.config.layers)');
  return layers;
}

/**
 * A layers-model topology (a deep copy; the argument is untouched) whose InputLayer takes
 * [null, size, size, C] and whose global pool has `pool` as pool size and strides.
 * Returns the copy and the pool layer's name.
 */
export function rewriteLayersTopology(topology: any, r: InputSizeRewrite, pool: [number, number]): { topology: any; poolNode: string } {
  const t = clone(topology);
  const layers = layerList(t);
  const input = layers.find((l) => l.class_name === 'InputLayer');
  if (!input) throw new UsageError(`${r.name}: no InputLayer to resize`);
  const shape = input.config.batch_input_shape as number[];
  input.config.batch_input_shape = [shape[0] ?? null, r.size, r.size, shape[3]];
  const poolLayer = r.poolNode ? layers.find((l) => l.name === r.poolNode) : [...layers].reverse().find((l) => l.class_name === 'AveragePooling2D');
  if (!poolLayer || poolLayer.class_name !== 'AveragePooling2D') throw new UsageError(`${r.name}: no AveragePooling2D layer${r.poolNode ? ` named '${r.poolNode}'` : ''} to resize`);
  poolLayer.config.pool_size = [...pool];
  poolLayer.config.strides = [...pool];
  poolLayer.config.padding = 'valid';
  return { topology: t, poolNode: poolLayer.name };
}

/**
 * A graph-model topology (deep copy) whose input Placeholder takes [-1, size, size, C] and whose
 * AvgPool node has ksize = strides = [1, pool, pool, 1]. Returns the copy, the pool node and its input node.
 */
export function rewriteGraphTopology(topology: any, r: InputSizeRewrite, pool: [number, number]): { topology: any; poolNode: string; poolInput: string } {
  const t = clone(topology);
  const nodes: any[] = t?.node;
  if (!Array.isArray(nodes)) throw new UsageError(`${r.name}: not a graph-model topology (no node list)`);
  const placeholders = nodes.filter((n) => n.op === 'Placeholder');
  if (placeholders.length !== 1) throw new UsageError(`${r.name}: expected one input Placeholder, found ${placeholders.length}`);
  const dims = placeholders[0].attr?.shape?.shape?.dim as Array<{ size: string }> | undefined;
  if (!dims || dims.length !== 4) throw new UsageError(`${r.name}: the input Placeholder has no 4-d shape`);
  dims[1] = { size: String(r.size) };
  dims[2] = { size: String(r.size) };
  const poolNode = r.poolNode ? nodes.find((n) => n.name === r.poolNode) : [...nodes].reverse().find((n) => n.op === 'AvgPool');
  if (!poolNode || poolNode.op !== 'AvgPool') throw new UsageError(`${r.name}: no AvgPool node${r.poolNode ? ` named '${r.poolNode}'` : ''} to resize`);
  const ks = ['1', String(pool[0]), String(pool[1]), '1'];
  poolNode.attr.ksize = { list: { i: ks } };
  poolNode.attr.strides = { list: { i: [...ks] } };
  return { topology: t, poolNode: poolNode.name, poolInput: String(poolNode.input[0]).replace(/:\d+$/, '') };
}

function metadataWithSize(meta: any, size: number): any {
  if (!meta?.signature?.inputs) return meta;
  const m = clone(meta);
  for (const inp of Object.values<any>(m.signature.inputs)) {
    const dim = inp?.tensorShape?.dim;
    if (Array.isArray(dim) && dim.length === 4) {
      dim[1] = { size: String(size) };
      dim[2] = { size: String(size) };
    }
  }
  return m;
}

function tooSmall(r: InputSizeRewrite, detail: string): UsageError {
  return new UsageError(`${r.name}: --input-size ${r.size} is too small for the network's strides (${detail})`);
}

/**
 * Loads a fully convolutional layers model at input side `r.size`: the InputLayer and the fixed
 * global pool are rewritten in memory (never on disk). First the pool is set to 1×1 to read the
 * spatial size h×w of its input at this size, then the model is rebuilt with an h×w pool, so the
 * pooled features are the mean over every position, as the original pool is at its native size.
 * @throws UsageError naming the model when the size is too small for its strides.
 */
export async function loadLayersModelAtSize(a: ModelArtifactsInMemory, r: InputSizeRewrite): Promise<tfl.LayersModel> {
  checkSize(r);
  const probe = rewriteLayersTopology(a.modelTopology, r, [1, 1]);
  // The probe model ends at the pool (layers are listed in topological order), so the head's weights,
  // which expect the pooled width, are not built; they are skipped with strict: false.
  const layers = layerList(probe.topology);
  const cut = layers.findIndex((l) => l.name === probe.poolNode);
  layers.splice(cut + 1);
  const config = probe.topology.model_config?.config ?? probe.topology.config;
  config.output_layers = [[probe.poolNode, 0, 0]];
  let model: tfl.LayersModel;
  try {
    model = await tfl.loadLayersModel(tf.io.fromMemory({ ...a, modelTopology: probe.topology }), { strict: false });
  } catch (err: any) {
    throw tooSmall(r, err?.message ?? String(err));
  }
  const shape = model.getLayer(probe.poolNode).input as tfl.SymbolicTensor;
  const [, h, w] = shape.shape as number[];
  model.dispose();
  if (!(h >= 1 && w >= 1)) throw tooSmall(r, `the pooled feature map would be ${h}×${w}`);
  const final = rewriteLayersTopology(a.modelTopology, r, [h, w]);
  return tfl.loadLayersModel(tf.io.fromMemory({ ...a, modelTopology: final.topology }));
}

/**
 * Loads a fully convolutional graph model at input side `r.size`: the input Placeholder and the
 * AvgPool's ksize are rewritten in memory. The pool's input size at this side is read from one
 * forward pass of a zero image to the pool's input node, then the graph is loaded with that ksize.
 * @throws UsageError naming the model when the size is too small for its strides.
 */
export async function loadGraphModelAtSize(a: ModelArtifactsInMemory, r: InputSizeRewrite): Promise<tfc.GraphModel> {
  checkSize(r);
  const meta = metadataWithSize(a.userDefinedMetadata, r.size);
  const probe = rewriteGraphTopology(a.modelTopology, r, [1, 1]);
  const first = await tfc.loadGraphModel(tf.io.fromMemory({ ...a, modelTopology: probe.topology, userDefinedMetadata: meta }));
  let h: number;
  let w: number;
  try {
    const c = first.inputs[0].shape?.[3] ?? 3;
    const y = tf.tidy(() => first.execute(tf.zeros([1, r.size, r.size, c]), probe.poolInput) as tf.Tensor);
    [, h, w] = y.shape as number[];
    y.dispose();
  } catch (err: any) {
    throw tooSmall(r, err?.message ?? String(err));
  } finally {
    first.dispose();
  }
  if (!(h >= 1 && w >= 1)) throw tooSmall(r, `the pooled feature map would be ${h}×${w}`);
  const final = rewriteGraphTopology(a.modelTopology, r, [h, w]);
  return tfc.loadGraphModel(tf.io.fromMemory({ ...a, modelTopology: final.topology, userDefinedMetadata: meta }));
}
