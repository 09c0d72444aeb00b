import * as tf from '@tensorflow/tfjs-core';
import type { OnnxGraphSpec, OnnxInitializer, OnnxNode } from '../src/util/onnxProto.js';

/**
 * Random-weight ResNet-shaped networks (torchvision ResNet50 v1.5 layout: 7×7/2 stem, 3×3/2
 * max pool, bottleneck stages [3, 4, 6, 3] with the stride on the 3×3 conv, global average
 * pool = 2048-d `features`, Gemm `logits`), described once as an ONNX graph and runnable both
 * through onnxruntime and, by interpreting the same nodes, on any TF.js backend. Used by the
 * extraction benchmark and the "ResNet50-shaped ONNX model extracts on CPU" test.
 */
export interface ResNetShapedOptions {
  /** Blocks per stage (ResNet50: [3, 4, 6, 3]). */
  blocks?: number[];
  /** Bottleneck width of stage 1 (ResNet50: 64; stage s uses base·2^s, output 4× that). */
  base?: number;
  /** Input side (224). */
  size?: number;
  classes?: number;
  seed?: number;
  /** Emit BatchNormalization after each conv (identity statistics) instead of folding it (default true). */
  batchNorm?: boolean;
}

export interface ResNetShaped {
  graph: OnnxGraphSpec;
  /** Multiply-adds ×2 of every Conv and Gemm, per image. */
  flopsPerImage: number;
  parameters: number;
  /** Feature width (4·base·8). */
  width: number;
  size: number;
}

/** Standard normal values from a seeded xorshift + Box–Muller (deterministic across platforms). */
function gaussian(count: number, seed: number, scale: number): Float32Array {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  const out = new Float32Array(count);
  for (let i = 0; i < count; i += 2) {
    const r = Math.sqrt(-2 * Math.log(next()));
    const t = 2 * Math.PI * next();
    out[i] = r * Math.cos(t) * scale;
    if (i + 1 < count) out[i + 1] = r * Math.sin(t) * scale;
  }
  return out;
}

/** Builds the graph (NCHW input `input` [N, 3, size, size]; outputs `features` [N, width] and `logits`). */
export function buildResNetShaped(opts: ResNetShapedOptions = {}): ResNetShaped {
  const blocks = opts.blocks ?? [3, 4, 6, 3];
  const base = opts.base ?? 64;
  const size = opts.size ?? 224;
  const classes = opts.classes ?? 1000;
  const useBn = opts.batchNorm ?? true;
  let seed = opts.seed ?? 0;
  const nodes: OnnxNode[] = [];
  const inits: OnnxInitializer[] = [];
  let flops = 0;
  let params = 0;
  let side = size;
  let id = 0;

  const conv = (x: string, cin: number, cout: number, k: number, stride: number, relu: boolean, gain = 1): string => {
    const name = `conv${id++}`;
    const pad = Math.floor(k / 2);
    // He initialisation keeps activations O(1) through 50 layers (no NaN / denormal slow paths).
    inits.push({ name: `${name}.w`, dims: [cout, cin, k, k], data: gaussian(cout * cin * k * k, ++seed, gain * Math.sqrt(2 / (cin * k * k))) });
    inits.push({ name: `${name}.b`, dims: [cout], data: new Float32Array(cout) });
    params += cout * cin * k * k + cout;
    const outSide = Math.floor((side + 2 * pad - k) / stride) + 1;
    flops += 2 * k * k * cin * cout * outSide * outSide;
    nodes.push({ op: 'Conv', inputs: [x, `${name}.w`, `${name}.b`], outputs: [`${name}.y`], attributes: { kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad] } });
    let y = `${name}.y`;
    if (useBn) {
      const ones = new Float32Array(cout).fill(1);
      const zeros = new Float32Array(cout);
      for (const [p, v] of [['scale', ones], ['bias', zeros], ['mean', zeros], ['var', ones]] as const) inits.push({ name: `${name}.bn.${p}`, dims: [cout], data: v });
      params += 2 * cout;
      nodes.push({ op: 'BatchNormalization', inputs: [y, `${name}.bn.scale`, `${name}.bn.bias`, `${name}.bn.mean`, `${name}.bn.var`], outputs: [`${name}.bn.y`], attributes: { epsilon: { float: 1e-5 } } });
      y = `${name}.bn.y`;
    }
    if (relu) {
      nodes.push({ op: 'Relu', inputs: [y], outputs: [`${name}.r`] });
      y = `${name}.r`;
    }
    return y;
  };

  let x = conv('input', 3, base, 7, 2, true);
  side = Math.floor((side + 6 - 7) / 2) + 1;
  nodes.push({ op: 'MaxPool', inputs: [x], outputs: ['pool0'], attributes: { kernel_shape: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1] } });
  x = 'pool0';
  side = Math.floor((side + 2 - 3) / 2) + 1;
  let cin = base;
  blocks.forEach((count, stage) => {
    const w = base * 2 ** stage;
    for (let b = 0; b < count; b++) {
      const stride = b === 0 && stage > 0 ? 2 : 1;
      const inSide = side;
      const a = conv(x, cin, w, 1, 1, true);
      const m = conv(a, w, w, 3, stride, true);
      side = Math.floor((inSide + 2 - 3) / stride) + 1;
      const c = conv(m, w, 4 * w, 1, 1, false, 0.3);
      let shortcut = x;
      if (b === 0) {
        const saved = side;
        side = inSide;
        shortcut = conv(x, cin, 4 * w, 1, stride, false);
        side = saved;
      }
      const sum = `add${stage}_${b}`;
      nodes.push({ op: 'Add', inputs: [c, shortcut], outputs: [sum] });
      nodes.push({ op: 'Relu', inputs: [sum], outputs: [`${sum}.r`] });
      x = `${sum}.r`;
      cin = 4 * w;
    }
  });
  nodes.push({ op: 'GlobalAveragePool', inputs: [x], outputs: ['gap'] });
  nodes.push({ op: 'Flatten', inputs: ['gap'], outputs: ['features'], attributes: { axis: 1 } });
  inits.push({ name: 'fc.w', dims: [classes, cin], data: gaussian(classes * cin, ++seed, Math.sqrt(1 / cin)) });
  inits.push({ name: 'fc.b', dims: [classes], data: new Float32Array(classes) });
  params += classes * cin + classes;
  flops += 2 * cin * classes;
  nodes.push({ op: 'Gemm', inputs: ['features', 'fc.w', 'fc.b'], outputs: ['logits'], attributes: { transB: 1 } });
  return {
    graph: {
      name: 'resnet_shaped',
      inputs: [{ name: 'input', dims: ['N', 3, size, size] }],
      outputs: [
        { name: 'features', dims: ['N', cin] },
        { name: 'logits', dims: ['N', classes] },
      ],
      nodes,
      initializers: inits,
    },
    flopsPerImage: flops,
    parameters: params,
    width: cin,
    size,
  };
}

/**
 * Runs a {@link buildResNetShaped} graph on the active TF.js backend by interpreting its nodes
 * with NHWC tensors (weights transposed once). Returns `forward(input NHWC n×size×size×3) →
 * features tensor n×width` (caller disposes) and `dispose()` for the weights.
 */
export function tfjsResNetShaped(net: ResNetShaped): { forward: (x: tf.Tensor4D) => tf.Tensor2D; dispose: () => void } {
  const weights = new Map<string, tf.Tensor>();
  const byName = new Map(net.graph.initializers!.map((t) => [t.name, t]));
  for (const node of net.graph.nodes) {
    if (node.op === 'Conv') {
      const w = byName.get(node.inputs[1])!;
      // ONNX OIHW → TF.js HWIO.
      weights.set(node.inputs[1], tf.tidy(() => tf.transpose(tf.tensor4d(w.data as Float32Array, w.dims as [number, number, number, number]), [2, 3, 1, 0])));
      weights.set(node.inputs[2], tf.tensor1d(byName.get(node.inputs[2])!.data as Float32Array));
    } else if (node.op === 'BatchNormalization') {
      for (const n of node.inputs.slice(1)) weights.set(n, tf.tensor1d(byName.get(n)!.data as Float32Array));
    } else if (node.op === 'Gemm') {
      const w = byName.get(node.inputs[1])!;
      weights.set(node.inputs[1], tf.tidy(() => tf.transpose(tf.tensor2d(w.data as Float32Array, w.dims as [number, number]))));
      weights.set(node.inputs[2], tf.tensor1d(byName.get(node.inputs[2])!.data as Float32Array));
    }
  }
  const forward = (input: tf.Tensor4D): tf.Tensor2D =>
    tf.tidy(() => {
      const values = new Map<string, tf.Tensor>([['input', input]]);
      const get = (n: string) => values.get(n)!;
      for (const node of net.graph.nodes) {
        const a = node.attributes ?? {};
        let y: tf.Tensor;
        switch (node.op) {
          case 'Conv': {
            const stride = (a.strides as number[])[0];
            const pad = (a.pads as number[])[0];
            y = tf.add(tf.conv2d(get(node.inputs[0]) as tf.Tensor4D, weights.get(node.inputs[1]) as tf.Tensor4D, stride, pad), weights.get(node.inputs[2])!);
            break;
          }
          case 'BatchNormalization': {
            const [scale, bias, mean, variance] = node.inputs.slice(1).map((n) => weights.get(n)!);
            y = tf.batchNorm(get(node.inputs[0]), mean, variance, bias, scale, 1e-5);
            break;
          }
          case 'Relu':
            y = tf.relu(get(node.inputs[0]));
            break;
          case 'MaxPool':
            y = tf.maxPool(get(node.inputs[0]) as tf.Tensor4D, 3, 2, 1);
            break;
          case 'Add':
            y = tf.add(get(node.inputs[0]), get(node.inputs[1]));
            break;
          case 'GlobalAveragePool':
            y = tf.mean(get(node.inputs[0]), [1, 2]);
            break;
          case 'Flatten':
            y = get(node.inputs[0]);
            break;
          case 'Gemm':
            y = tf.add(tf.matMul(get(node.inputs[0]) as tf.Tensor2D, weights.get(node.inputs[1]) as tf.Tensor2D), weights.get(node.inputs[2])!);
            break;
          default:
            throw new Error(`tfjsResNetShaped: op ${node.op} is not interpreted`);
        }
        values.set(node.outputs[0], y);
        if (node.outputs[0] === 'features') return y as tf.Tensor2D;
      }
      throw new Error('tfjsResNetShaped: graph has no `features` tensor');
    });
  return { forward, dispose: () => weights.forEach((t) => t.dispose()) };
}
