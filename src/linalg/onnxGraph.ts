/**
 * The few ONNX graphs of the linear-algebra backend (one-operator MatMul/Gemm/Cast graphs with
 * symbolic dims), so onnxruntime can run them without shipping .onnx files; written by the one
 * ONNX writer in util/onnxProto.ts.
 */
import { encodeOnnxGraph } from '../util/onnxProto.js';

/** ONNX TensorProto.DataType codes used here. */
export const ONNX_FLOAT = 1;
export const ONNX_DOUBLE = 11;

/** One graph input/output: element type and dims (numbers fixed, strings symbolic). */
export interface LinalgValueInfo {
  name: string;
  elemType: number;
  dims: (number | string)[];
}

/** One operator node; attributes are INT-valued (all that MatMul/Gemm/Cast/Transpose need). */
export interface LinalgNode {
  op: string;
  inputs: string[];
  outputs: string[];
  intAttributes?: Record<string, number>;
}

/**
 * Serialises a single-graph ONNX model (IR version 8, default-domain opset 17).
 * @returns the ModelProto bytes for `InferenceSession.create`.
 */
export function encodeOnnxModel(graph: { name: string; nodes: LinalgNode[]; inputs: LinalgValueInfo[]; outputs: LinalgValueInfo[] }): Uint8Array {
  return encodeOnnxGraph({
    name: graph.name,
    nodes: graph.nodes.map((n) => ({ op: n.op, inputs: n.inputs, outputs: n.outputs, attributes: n.intAttributes })),
    inputs: graph.inputs,
    outputs: graph.outputs,
    opset: 17,
    producer: 'diffused-redundancy-linalg',
    nodeName: (n, i) => `${n.op.toLowerCase()}_${i}`,
  });
}

/** Which product a graph computes. */
export type LinalgGraphKind = 'gram' | 'cross' | 'matmul';

/**
 * Gram from c column panels X₁…X_c (each [n, wᵢ], float32): outputs Y_i_j = Xᵢᵀ·Xⱼ for i ≤ j
 * only, so a symmetric Gram costs c(c+1)/2 instead of c² panel products (c = 4: 37.5% fewer flops).
 */
export function panelGramModel(panels: number, double: boolean): Uint8Array {
  const nodes: LinalgNode[] = [];
  const inputs: LinalgValueInfo[] = [];
  const outputs: LinalgValueInfo[] = [];
  const names: string[] = [];
  for (let i = 0; i < panels; i++) {
    inputs.push({ name: `X${i}`, elemType: ONNX_FLOAT, dims: ['n', `w${i}`] });
    if (double) {
      nodes.push({ op: 'Cast', inputs: [`X${i}`], outputs: [`X${i}_64`], intAttributes: { to: ONNX_DOUBLE } });
      names.push(`X${i}_64`);
    } else names.push(`X${i}`);
  }
  for (let i = 0; i < panels; i++) {
    for (let j = i; j < panels; j++) {
      nodes.push({ op: 'Gemm', inputs: [names[i], names[j]], outputs: [`Y${i}_${j}`], intAttributes: { transA: 1 } });
      outputs.push({ name: `Y${i}_${j}`, elemType: double ? ONNX_DOUBLE : ONNX_FLOAT, dims: [`w${i}`, `w${j}`] });
    }
  }
  return encodeOnnxModel({ name: `panel_gram_${panels}${double ? '_f64' : ''}`, nodes, inputs, outputs });
}

/**
 * The model for one product with symbolic dims (one session serves every shape).
 * Inputs are always float32; `double` inserts Casts so MatMul/Gemm accumulate in float64.
 * - gram:   X [n,p] → Y = Xᵀ·X [p,p]   (Gemm transA=1)
 * - cross:  A [n,p], B [n,q] → Y = Aᵀ·B [p,q]
 * - matmul: A [m,k], B [k,n] → Y = A·B [m,n]
 */
export function linalgModel(kind: LinalgGraphKind, double: boolean): Uint8Array {
  const out = double ? ONNX_DOUBLE : ONNX_FLOAT;
  const inputs: LinalgValueInfo[] =
    kind === 'gram' ? [{ name: 'A', elemType: ONNX_FLOAT, dims: ['n', 'p'] }]
    : kind === 'cross' ? [{ name: 'A', elemType: ONNX_FLOAT, dims: ['n', 'p'] }, { name: 'B', elemType: ONNX_FLOAT, dims: ['n', 'q'] }]
    : [{ name: 'A', elemType: ONNX_FLOAT, dims: ['m', 'k'] }, { name: 'B', elemType: ONNX_FLOAT, dims: ['k', 'n'] }];
  const nodes: LinalgNode[] = [];
  let a = 'A';
  let b = kind === 'gram' ? 'A' : 'B';
  if (double) {
    nodes.push({ op: 'Cast', inputs: ['A'], outputs: ['A64'], intAttributes: { to: ONNX_DOUBLE } });
    a = 'A64';
    if (kind === 'gram') b = 'A64';
    else {
      nodes.push({ op: 'Cast', inputs: ['B'], outputs: ['B64'], intAttributes: { to: ONNX_DOUBLE } });
      b = 'B64';
    }
  }
  if (kind === 'matmul') nodes.push({ op: 'MatMul', inputs: [a, b], outputs: ['Y'] });
  else nodes.push({ op: 'Gemm', inputs: [a, b], outputs: ['Y'], intAttributes: { transA: 1 } });
  const outDims = kind === 'gram' ? ['p', 'p'] : kind === 'cross' ? ['p', 'q'] : ['m', 'n'];
  return encodeOnnxModel({ name: `${kind}${double ? '_f64' : ''}`, nodes, inputs, outputs: [{ name: 'Y', elemType: out, dims: outDims }] });
}

/**
 * Float64 Gemm with symbolic dims: A, B double → Y = op(A)·op(B), op = transpose when the flag
 * is set (ONNX Gemm transA/transB); with `addend`, a third input C (m×n) and Y = C + op(A)·op(B)
 * (MLAS accumulates into Y inside the kernel). Serves the blocked float64 kernels (Cholesky, solves, eigen).
 */
export function gemm64Model(transA: boolean, transB: boolean, addend = false): Uint8Array {
  const aDims = transA ? ['k', 'm'] : ['m', 'k'];
  const bDims = transB ? ['n', 'k'] : ['k', 'n'];
  const inputs: LinalgValueInfo[] = [{ name: 'A', elemType: ONNX_DOUBLE, dims: aDims }, { name: 'B', elemType: ONNX_DOUBLE, dims: bDims }];
  if (addend) inputs.push({ name: 'C', elemType: ONNX_DOUBLE, dims: ['m', 'n'] });
  return encodeOnnxModel({
    name: `gemm64_${transA ? 't' : 'n'}${transB ? 't' : 'n'}${addend ? '_c' : ''}`,
    nodes: [{ op: 'Gemm', inputs: inputs.map((i) => i.name), outputs: ['Y'], intAttributes: { transA: transA ? 1 : 0, transB: transB ? 1 : 0 } }],
    inputs,
    outputs: [{ name: 'Y', elemType: ONNX_DOUBLE, dims: ['m', 'n'] }],
  });
}

/** ONNX TensorProto.DataType INT64. */
export const ONNX_INT64 = 7;

/**
 * Upper-triangle Gram from c column panels without copies in JavaScript: for panel i the graph
 * slices X[:, sᵢ:eᵢ] and the tail X[:, sᵢ:] (inputs `S{i}`, `E{i}`, int64 [1]; `AXIS` = [1];
 * `END` = [p]) and outputs `Y{i}` = X[:, sᵢ:eᵢ]ᵀ·X[:, sᵢ:] (wᵢ × (p − sᵢ)). With panel
 * boundaries at equal work the flops are (c + 1)/(2c) of the full product's. With `shifted`, an
 * input `SHIFT` (float32 [p]) is subtracted from every row first (X − 1·SHIFTᵀ, in float32), so a
 * centred Gram needs no shifted copy in JavaScript.
 */
export function tailGramModel(panels: number, transposeFirst = false, shifted = false): Uint8Array {
  const nodes: LinalgNode[] = [];
  let src = 'X';
  if (shifted) {
    nodes.push({ op: 'Sub', inputs: ['X', 'SHIFT'], outputs: ['XS'] });
    src = 'XS';
  }
  if (transposeFirst) {
    nodes.push({ op: 'Transpose', inputs: [src], outputs: ['XT'] });
    src = 'XT';
  }
  const inputs: LinalgValueInfo[] = [
    { name: 'X', elemType: ONNX_FLOAT, dims: ['n', 'p'] },
    ...(shifted ? [{ name: 'SHIFT', elemType: ONNX_FLOAT, dims: ['p'] }] : []),
    { name: 'AXIS', elemType: ONNX_INT64, dims: [1] },
    { name: 'END', elemType: ONNX_INT64, dims: [1] },
  ];
  const outputs: LinalgValueInfo[] = [];
  for (let i = 0; i < panels; i++) {
    inputs.push({ name: `S${i}`, elemType: ONNX_INT64, dims: [1] }, { name: `E${i}`, elemType: ONNX_INT64, dims: [1] });
    nodes.push({ op: 'Slice', inputs: [src, `S${i}`, `E${i}`, 'AXIS'], outputs: [`P${i}`] });
    nodes.push({ op: 'Slice', inputs: [src, `S${i}`, 'END', 'AXIS'], outputs: [`T${i}`] });
    nodes.push({ op: 'Gemm', inputs: [`P${i}`, `T${i}`], outputs: [`Y${i}`], intAttributes: transposeFirst ? { transB: 1 } : { transA: 1 } });
    outputs.push({ name: `Y${i}`, elemType: ONNX_FLOAT, dims: [`w${i}`, `t${i}`] });
  }
  return encodeOnnxModel({ name: `tail_gram_${panels}${transposeFirst ? '_t' : ''}${shifted ? '_shift' : ''}`, nodes, inputs, outputs });
}
