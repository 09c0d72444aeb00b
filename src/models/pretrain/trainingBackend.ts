import * as tf from '@tensorflow/tfjs-core';
// tfjs-layers registers the gradient of every core op on load; PGD and the losses need them.
import '@tensorflow/tfjs-layers';

/** TF.js backends the trainer knows how to start. */
export type TrainingBackendName = 'wasm' | 'cpu' | 'tensorflow' | 'webgl' | 'webgpu';

type KernelFn = (args: { inputs: Record<string, tf.TensorInfo>; backend: unknown; attrs: Record<string, unknown> }) => tf.TensorInfo;

interface ConvAttrs {
  strides: number | [number, number];
  pad: 'same' | 'valid' | number | unknown;
  dataFormat: string;
  dilations?: number | [number, number];
  dimRoundingMode?: unknown;
}

function pair(v: number | [number, number] | undefined, dflt: number): [number, number] {
  return v === undefined ? [dflt, dflt] : typeof v === 'number' ? [v, v] : v;
}

function wasmKernel(name: string): KernelFn {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`tfjs wasm backend has no ${name} kernel`);
  return k.kernelFunc as unknown as KernelFn;
}

/** True for the convolutions the fast gradient handles: stride 1, no dilation, NHWC, same/valid padding. */
function fastCase(a: ConvAttrs): boolean {
  const [sh, sw] = pair(a.strides as number | [number, number], 1);
  const [dh, dw] = pair(a.dilations, 1);
  return sh === 1 && sw === 1 && dh === 1 && dw === 1 && a.dataFormat === 'NHWC' && (a.pad === 'same' || a.pad === 'valid');
}

let registered = false;

/**
 * Makes conv2d training fast and complete on the wasm backend of tfjs 4.22.
 *
 * The backend lacks `Conv2DBackpropFilter` and its `Conv2DBackpropInput` is a plain loop,
 * ~20× slower than its XNNPACK forward convolution. Both gradients of a stride-1 convolution
 * are themselves convolutions, so they are re-registered as wasm Conv2D calls:
 * - dW[i,j,ci,co] = Σ_{b,y,x} xpad[b,y+i,x+j,ci]·dy[b,y,x,co]: convolve xᵀ ([ci,h,w,b]) with
 *   dyᵀ ([oh,ow,b,co]) as the filter, giving [ci,kh,kw,co], then transpose;
 * - dx = dy convolved with the spatially flipped filter (channels swapped), padded by k−1−pad.
 * Strided input gradients keep the backend's own kernel; strided filter gradients are refused
 * with a clear error (the zoo's networks down-sample by pooling instead).
 */
export function registerWasmConvGradients(): void {
  if (registered) return;
  const conv2d = wasmKernel('Conv2D');
  const transpose = wasmKernel('Transpose');
  const reverse = wasmKernel('Reverse');
  const oldInput = tf.getKernel('Conv2DBackpropInput', 'wasm');
  const slowInput = oldInput?.kernelFunc as unknown as KernelFn | undefined;

  const padInfo = (xShape: number[], filterShape: number[], a: ConvAttrs) =>
    tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number], 1, 1, a.pad as 'same' | 'valid').padInfo;

  const filterGrad: KernelFn = ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs;
    const a = attrs as unknown as ConvAttrs & { filterShape: [number, number, number, number] };
    const dispose = (t: tf.TensorInfo) => (backend as { disposeData(id: unknown): void }).disposeData(t.dataId);
    if (!fastCase(a)) {
      throw new Error('wasm Conv2DBackpropFilter: only stride-1, undilated NHWC convolutions with same/valid padding are supported (the zoo uses only those); train other networks with --backend cpu');
    }
    const p = padInfo(x.shape, a.filterShape, a);
    const xT = transpose({ inputs: { x }, backend, attrs: { perm: [3, 1, 2, 0] } });
    const dyT = transpose({ inputs: { x: dy }, backend, attrs: { perm: [1, 2, 0, 3] } });
    const g = conv2d({
      inputs: { x: xT, filter: dyT }, backend,
      attrs: { strides: 1, dilations: 1, pad: [[0, 0], [p.top, p.bottom], [p.left, p.right], [0, 0]], dataFormat: 'NHWC' },
    });
    const out = transpose({ inputs: { x: g }, backend, attrs: { perm: [1, 2, 0, 3] } });
    [xT, dyT, g].forEach(dispose);
    return out;
  };

  const inputGrad: KernelFn = (args) => {
    const { inputs, backend, attrs } = args;
    const a = attrs as unknown as ConvAttrs & { inputShape: [number, number, number, number] };
    if (!fastCase(a)) {
      if (!slowInput) throw new Error('wasm Conv2DBackpropInput: no kernel for strided or dilated convolutions');
      return slowInput(args);
    }
    const { dy, filter } = inputs;
    const [kh, kw] = filter.shape;
    const dispose = (t: tf.TensorInfo) => (backend as { disposeData(id: unknown): void }).disposeData(t.dataId);
    const p = padInfo(a.inputShape, filter.shape, a);
    const flipped = reverse({ inputs: { x: filter }, backend, attrs: { dims: [0, 1] } });
    const swapped = transpose({ inputs: { x: flipped }, backend, attrs: { perm: [0, 1, 3, 2] } });
    const out = conv2d({
      inputs: { x: dy, filter: swapped }, backend,
      attrs: { strides: 1, dilations: 1, pad: [[0, 0], [kh - 1 - p.top, kh - 1 - p.bottom], [kw - 1 - p.left, kw - 1 - p.right], [0, 0]], dataFormat: 'NHWC' },
    });
    [flipped, swapped].forEach(dispose);
    return out;
  };

  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropFilter', backendName: 'wasm', kernelFunc: filterGrad as never });
  if (oldInput) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({ kernelName: 'Conv2DBackpropInput', backendName: 'wasm', kernelFunc: inputGrad as never });
  registered = true;
}

/**
 * Loads and activates a TF.js backend for training. `wasm` comes from
 * @tensorflow/tfjs-backend-wasm and gets the convolution gradients of
 * {@link registerWasmConvGradients}; `tensorflow` needs @tensorflow/tfjs-node(-gpu).
 * Returns the name of the backend now in use.
 */
export async function initTrainingBackend(name: TrainingBackendName = 'wasm'): Promise<string> {
  if (name === 'wasm') {
    // In Node the package finds its .wasm binaries next to its own files; no path setup needed.
    await import('@tensorflow/tfjs-backend-wasm');
  } else if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else if (name === 'tensorflow') {
    let loaded = false;
    for (const p of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
      try {
        await import(p);
        loaded = true;
        break;
      } catch {
        // try the next package
      }
    }
    if (!loaded) throw new Error("backend 'tensorflow' needs @tensorflow/tfjs-node or @tensorflow/tfjs-node-gpu installed");
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`TF.js backend '${name}' failed to initialise`);
  await tf.ready();
  if (name === 'wasm') registerWasmConvGradients();
  return tf.getBackend();
}
