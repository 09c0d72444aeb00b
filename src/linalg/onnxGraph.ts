/**
 * A minimal protobuf writer for the few ONNX messages a one-operator linear-algebra graph needs
 * (ModelProto, GraphProto, NodeProto, AttributeProto, ValueInfoProto with symbolic dims), so
 * onnxruntime can run MatMul/Gemm without shipping .onnx files. Field numbers follow onnx.proto.
 */

/** ONNX TensorProto.DataType codes used here. */
export const ONNX_FLOAT = 1;
export const ONNX_DOUBLE = 11;

/** Growable byte buffer with the protobuf wire-format primitives. */
class ProtoWriter {
  private bytes: number[] = [];

  varint(v: number | bigint): this {
    let x = BigInt(v);
    if (x < 0n) x += 1n << 64n; // int64 negatives are ten-byte two's complement varints
    do {
      let b = Number(x & 0x7fn);
      x >>= 7n;
      if (x > 0n) b |= 0x80;
      this.bytes.push(b);
    } while (x > 0n);
    return this;
  }

  tag(field: number, wire: 0 | 2 | 5): this {
    return this.varint((field << 3) | wire);
  }

  int(field: number, v: number): this {
    return this.tag(field, 0).varint(v);
  }

  bytesField(field: number, data: Uint8Array | number[]): this {
    this.tag(field, 2).varint(data.length);
    for (const b of data) this.bytes.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, inner: ProtoWriter): this {
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

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

function valueInfo(v: LinalgValueInfo): ProtoWriter {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = new ProtoWriter();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape);
  const type = new ProtoWriter().message(1, tensorType);
  return new ProtoWriter().string(1, v.name).message(2, type);
}

function node(n: LinalgNode, index: number): ProtoWriter {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, `${n.op.toLowerCase()}_${index}`).string(4, n.op);
  for (const [name, value] of Object.entries(n.intAttributes ?? {})) {
    // AttributeProto: name = 1, i = 3, type = 20 (INT = 2)
    w.message(5, new ProtoWriter().string(1, name).int(3, value).int(20, 2));
  }
  return w;
}

/**
 * Serialises a single-graph ONNX model (IR version 8, default-domain opset 17).
 * @returns the ModelProto bytes for `InferenceSession.create`.
 */
export function encodeOnnxModel(graph: { name: string; nodes: LinalgNode[]; inputs: LinalgValueInfo[]; outputs: LinalgValueInfo[] }): Uint8Array {
  const g = new ProtoWriter();
  graph.nodes.forEach((n, i) => g.message(1, node(n, i)));
  g.string(2, graph.name);
  for (const v of graph.inputs) g.message(11, valueInfo(v));
  for (const v of graph.outputs) g.message(12, valueInfo(v));
  const opset = new ProtoWriter().string(1, '').int(2, 17);
  return new ProtoWriter().int(1, 8).string(2, 'diffused-redundancy-linalg').message(7, g).message(8, opset).finish();
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
 * is set (ONNX Gemm transA/transB). Serves the blocked float64 kernels (Cholesky, solves, eigen).
 */
export function gemm64Model(transA: boolean, transB: boolean): Uint8Array {
  const aDims = transA ? ['k', 'm'] : ['m', 'k'];
  const bDims = transB ? ['n', 'k'] : ['k', 'n'];
  return encodeOnnxModel({
    name: `gemm64_${transA ? 't' : 'n'}${transB ? 't' : 'n'}`,
    nodes: [{ op: 'Gemm', inputs: ['A', 'B'], outputs: ['Y'], intAttributes: { transA: transA ? 1 : 0, transB: transB ? 1 : 0 } }],
    inputs: [{ name: 'A', elemType: ONNX_DOUBLE, dims: aDims }, { name: 'B', elemType: ONNX_DOUBLE, dims: bDims }],
    outputs: [{ name: 'Y', elemType: ONNX_DOUBLE, dims: ['m', 'n'] }],
  });
}

/** ONNX TensorProto.DataType INT64. */
export const ONNX_INT64 = 7;

/**
 * Upper-triangle Gram from c column panels without copies in JavaScript: for panel i the graph
 * slices X[:, sᵢ:eᵢ] and the tail X[:, sᵢ:] (inputs `S{i}`, `E{i}`, int64 [1]; `AXIS` = [1];
 * `END` = [p]) and outputs `Y{i}` = X[:, sᵢ:eᵢ]ᵀ·X[:, sᵢ:] (wᵢ × (p − sᵢ)). With panel
 * boundaries at equal work the flops are (c + 1)/(2c) of the full product's.
 */
export function tailGramModel(panels: number, transposeFirst = false): Uint8Array {
  const nodes: LinalgNode[] = [];
  if (transposeFirst) nodes.push({ op: 'Transpose', inputs: ['X'], outputs: ['XT'] });
  const src = transposeFirst ? 'XT' : 'X';
  const inputs: LinalgValueInfo[] = [
    { name: 'X', elemType: ONNX_FLOAT, dims: ['n', 'p'] },
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
  return encodeOnnxModel({ name: `tail_gram_${panels}${transposeFirst ? '_t' : ''}`, nodes, inputs, outputs });
}
