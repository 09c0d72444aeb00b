import * as ort from 'onnxruntime-node';
import { selectOnnxProviders } from '../backend/index.js';
import { UsageError } from '../util/errors.js';
import { completeExtractor, type ExtraLayer, type FeatureExtractor } from './extractor.js';
import { addOnnxGraphOutputs, onnxGraphNames } from '../util/onnxProto.js';
import { preprocessForInputShape, type PreprocessSpec } from './preprocess.js';
import { sha256Hex } from './tfjsFiles.js';

/** onnxruntime execution providers extraction may ask for. */
export type OnnxProviderChoice = 'auto' | 'cpu' | 'cuda';

export interface OnnxExtractorOptions {
  id: string;
  /** Output tensor holding the features: a graph output or any internal tensor (added as an output). Default: the only output, or one named `features`. */
  layer?: string;
  preprocessing?: PreprocessSpec;
  /** `auto` asks src/backend (CUDA when onnxruntime has it, else CPU). */
  provider?: OnnxProviderChoice;
  /** Threads for one operator (onnxruntime default: all cores). */
  intraOpThreads?: number;
  /** Pooling of the feature tensor: only `flatten` is offered for ONNX (`mean` is refused, never ignored). */
  pool?: ExtraLayer['pool'];
  /** More tensors read in the same run (flattened per image; pooling is not offered for ONNX). */
  extraLayers?: ExtraLayer[];
}

async function providerList(choice: OnnxProviderChoice): Promise<string[]> {
  if (choice === 'cpu') return ['cpu'];
  if (choice === 'cuda') return ['cuda', 'cpu'];
  return (await selectOnnxProviders()).providers;
}

/**
 * Creates a session, preferring the providers in order; if the first choice (e.g. CUDA) cannot
 * start, retries on CPU so a machine without a GPU still runs. Returns the provider used.
 */
async function createSession(bytes: Uint8Array, providers: string[], threads: number | undefined, strict: boolean): Promise<{ session: ort.InferenceSession; provider: string }> {
  const base: ort.InferenceSession.SessionOptions = { graphOptimizationLevel: 'all', ...(threads ? { intraOpNumThreads: threads } : {}) };
  const firstTry = providers.filter((p) => p !== 'cpu');
  if (firstTry.length) {
    try {
      const session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: [...firstTry, 'cpu'] });
      return { session, provider: firstTry[0] };
    } catch (err: any) {
      if (strict) throw new UsageError(`onnxruntime provider '${firstTry[0]}' is not available here (${err?.message ?? err})`);
    }
  }
  const session = await ort.InferenceSession.create(bytes, { ...base, executionProviders: ['cpu'] });
  return { session, provider: 'cpu' };
}

/**
 * An ONNX model (bytes of a `.onnx` file) as a {@link FeatureExtractor}. The input layout and
 * size come from the model's input shape (NCHW for [N, 3, H, W]); an internal tensor named by
 * `layer` is exposed by adding it to the graph outputs. Weights hash = SHA-256 of the bytes.
 */
export async function onnxExtractor(bytes: Uint8Array, opts: OnnxExtractorOptions): Promise<FeatureExtractor> {
  const names = onnxGraphNames(bytes);
  let layer = opts.layer;
  if (!layer) {
    if (names.outputs.length === 1) layer = names.outputs[0];
    else if (names.outputs.includes('features')) layer = 'features';
    else throw new UsageError(`${opts.id}: the model has outputs ${names.outputs.join(', ')}; name the feature tensor with --layer`);
  }
  const extras = opts.extraLayers ?? [];
  const pooled = [{ layer, pool: opts.pool }, ...extras].find((x) => x.pool === 'mean');
  if (pooled) throw new UsageError(`${opts.id}: pooling ('${pooled.layer}', --pool mean) is offered for TF.js models only; ONNX tensors are read flattened`);
  const outputNames = [layer, ...extras.map((x) => x.layer)];
  const missing = outputNames.filter((t) => !names.outputs.includes(t));
  for (const t of missing) {
    if (!names.nodeOutputs.includes(t)) {
      const tail = names.nodeOutputs.slice(-8).join(', ');
      throw new UsageError(`${opts.id}: no tensor named '${t}' (graph outputs: ${names.outputs.join(', ')}; last node outputs: ${tail})`);
    }
  }
  const model = missing.length ? addOnnxGraphOutputs(bytes, missing) : bytes;
  const choice = opts.provider ?? 'auto';
  const { session, provider } = await createSession(model, await providerList(choice), opts.intraOpThreads, choice === 'cuda');
  if (session.inputNames.length !== 1) throw new UsageError(`${opts.id}: expected one image input, the model has ${session.inputNames.join(', ')}`);
  const inputName = session.inputNames[0];
  const meta = session.inputMetadata[0] as { shape?: ReadonlyArray<number | string> };
  const shape = meta?.shape ?? [];
  const fixed = (v: number | string | undefined) => (typeof v === 'number' && v > 0 ? v : undefined);
  if (shape.length !== 4) throw new UsageError(`${opts.id}: expected an image input of rank 4, '${inputName}' has shape [${shape.join(', ')}]`);
  const nhwc = (shape[3] === 1 || shape[3] === 3) && !(shape[1] === 1 || shape[1] === 3);
  const layout = opts.preprocessing?.layout ?? (nhwc ? 'NHWC' : 'NCHW');
  const [h, w, c] = layout === 'NCHW' ? [fixed(shape[2]), fixed(shape[3]), fixed(shape[1])] : [fixed(shape[1]), fixed(shape[2]), fixed(shape[3])];
  let spec = opts.preprocessing;
  if (!spec) {
    if (!c) throw new UsageError(`${opts.id}: input '${inputName}' has no fixed channel count; give --preprocess`);
    spec = preprocessForInputShape(h ?? 224, w ?? 224, c);
  }
  const { height: H, width: W, channels: C } = spec;
  if ((h && h !== H) || (w && w !== W) || (c && c !== C)) {
    throw new UsageError(`${opts.id}: preprocessing '${spec.name}' makes ${H}×${W}×${C} images but input '${inputName}' is [${shape.join(', ')}]`);
  }
  const dims = layout === 'NCHW' ? [C, H, W] : [H, W, C];
  return completeExtractor({
    id: opts.id,
    format: 'onnx',
    layer,
    extraLayers: outputNames.slice(1),
    weightsHash: sha256Hex(bytes),
    preprocessing: { ...spec, layout },
    backend: `onnxruntime-${provider}`,
    async forwardAll(data: Float32Array, n: number): Promise<Float32Array[]> {
      const feeds = { [inputName]: new ort.Tensor('float32', data, [n, ...dims]) };
      const result = await session.run(feeds, outputNames);
      return outputNames.map((name) => {
        const t = result[name];
        const values = t.data as Float32Array;
        t.dispose?.();
        return values;
      });
    },
    async dispose(): Promise<void> {
      await session.release();
    },
  });
}
