/**
 * A small writer for ONNX models (protobuf wire format, field numbers from onnx.proto), enough
 * to build test and benchmark networks (Conv, BatchNormalization, Relu, MaxPool, Add,
 * GlobalAveragePool, Flatten, Gemm, MatMul, …) without Python, plus a byte-level edit that
 * exposes an internal tensor as an extra graph output (onnxruntime only returns graph outputs).
 */

/** An attribute value: number → INT (integers) or FLOAT (use {@link onnxFloat}), arrays → INTS/FLOATS, string → STRING. */
export type OnnxAttribute = number | number[] | string | { float: number } | { floats: number[] };

/** Marks a number attribute as FLOAT (plain numbers are written as INT). */
export function onnxFloat(v: number): { float: number } {
  return { float: v };
}

/** Marks a number array attribute as FLOATS (plain arrays are written as INTS). */
export function onnxFloats(v: number[]): { floats: number[] } {
  return { floats: v };
}

export interface OnnxNode {
  op: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, OnnxAttribute>;
}

/** A constant tensor: float32 (`data` Float32Array) or int64 (`data` BigInt64Array / number[] with int64: true). */
export interface OnnxInitializer {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

/** A graph input or output: a tensor (float32 unless `elemType` says otherwise) with fixed or symbolic (string) dimensions. */
export interface OnnxValueInfo {
  name: string;
  dims: (number | string)[];
  /** TensorProto.DataType code; default 1 (FLOAT). */
  elemType?: number;
}

export interface OnnxGraphSpec {
  name?: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodes: OnnxNode[];
  initializers?: OnnxInitializer[];
  /** Default opset 13. */
  opset?: number;
  /** Default IR version 8. */
  irVersion?: number;
  /** ModelProto.producer_name; default `diffused-redundancy`. */
  producer?: string;
  /** Name of node i when it has none; default `${op}_${i}`. */
  nodeName?: (node: OnnxNode, index: number) => string;
}

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_BYTES = 2;

/** Growable byte buffer with protobuf primitives. */
class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  varint(v: number | bigint): this {
    // int64 fields: negatives are 10-byte two's complement.
    let x = BigInt.asUintN(64, BigInt(v));
    this.ensure(10);
    while (x >= 0x80n) {
      this.buf[this.len++] = Number(x & 0x7fn) | 0x80;
      x >>= 7n;
    }
    this.buf[this.len++] = Number(x);
    return this;
  }

  tag(field: number, wire: number): this {
    return this.varint((field << 3) | wire);
  }

  intField(field: number, v: number | bigint): this {
    return this.tag(field, WIRE_VARINT).varint(v);
  }

  floatField(field: number, v: number): this {
    this.tag(field, WIRE_FIXED32);
    this.ensure(4);
    new DataView(this.buf.buffer).setFloat32(this.len, v, true);
    this.len += 4;
    return this;
  }

  bytesField(field: number, bytes: Uint8Array): this {
    this.tag(field, WIRE_BYTES).varint(bytes.length);
    this.ensure(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
    return this;
  }

  stringField(field: number, s: string): this {
    return this.bytesField(field, new TextEncoder().encode(s));
  }

  message(field: number, build: (w: ProtoWriter) => void): this {
    const inner = new ProtoWriter();
    build(inner);
    return this.bytesField(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

// AttributeProto.AttributeType and TensorProto.DataType values from onnx.proto.
const ATTR = { FLOAT: 1, INT: 2, STRING: 3, FLOATS: 6, INTS: 7 } as const;
const DTYPE = { FLOAT: 1, INT64: 7 } as const;

function writeAttribute(w: ProtoWriter, name: string, value: OnnxAttribute): void {
  w.stringField(1, name);
  if (typeof value === 'string') {
    w.stringField(4, value).intField(20, ATTR.STRING);
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new TypeError(`ONNX attribute ${name}: ${value} is not an integer; wrap floats with onnxFloat()`);
    w.intField(3, value).intField(20, ATTR.INT);
  } else if (Array.isArray(value)) {
    for (const v of value) {
      if (!Number.isInteger(v)) throw new TypeError(`ONNX attribute ${name}: ${v} is not an integer; wrap float lists with onnxFloats()`);
      w.intField(8, v);
    }
    w.intField(20, ATTR.INTS);
  } else if ('float' in value) {
    w.floatField(2, value.float).intField(20, ATTR.FLOAT);
  } else {
    for (const v of value.floats) w.floatField(7, v);
    w.intField(20, ATTR.FLOATS);
  }
}

function writeValueInfo(w: ProtoWriter, v: OnnxValueInfo): void {
  w.stringField(1, v.name);
  w.message(2, (type) =>
    type.message(1, (tensor) => {
      tensor.intField(1, v.elemType ?? DTYPE.FLOAT);
      tensor.message(2, (shape) => {
        for (const d of v.dims) shape.message(1, (dim) => (typeof d === 'number' ? dim.intField(1, d) : dim.stringField(2, d)));
      });
    }),
  );
}

function writeTensor(w: ProtoWriter, t: OnnxInitializer): void {
  const count = t.dims.reduce((a, b) => a * b, 1);
  if (t.data.length !== count) throw new RangeError(`ONNX initializer ${t.name}: dims [${t.dims}] need ${count} values, got ${t.data.length}`);
  for (const d of t.dims) w.intField(1, d);
  w.intField(2, t.data instanceof Float32Array ? DTYPE.FLOAT : DTYPE.INT64);
  w.stringField(8, t.name);
  // raw_data is little-endian, which is what typed arrays hold on the platforms Node runs on.
  w.bytesField(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
}

/** Serialises a graph as an ONNX ModelProto (bytes to write to a `.onnx` file or hand to onnxruntime). */
export function encodeOnnxGraph(spec: OnnxGraphSpec): Uint8Array {
  const w = new ProtoWriter();
  w.intField(1, spec.irVersion ?? 8);
  w.stringField(2, spec.producer ?? 'diffused-redundancy');
  w.message(7, (g) => {
    spec.nodes.forEach((node, i) => {
      g.message(1, (n) => {
        for (const x of node.inputs) n.stringField(1, x);
        for (const y of node.outputs) n.stringField(2, y);
        n.stringField(3, node.name ?? (spec.nodeName ? spec.nodeName(node, i) : `${node.op}_${i}`));
        n.stringField(4, node.op);
        for (const [k, v] of Object.entries(node.attributes ?? {})) n.message(5, (a) => writeAttribute(a, k, v));
      });
    });
    g.stringField(2, spec.name ?? 'graph');
    for (const t of spec.initializers ?? []) g.message(5, (tw) => writeTensor(tw, t));
    for (const v of spec.inputs) g.message(11, (vw) => writeValueInfo(vw, v));
    for (const v of spec.outputs) g.message(12, (vw) => writeValueInfo(vw, v));
  });
  w.message(8, (op) => op.stringField(1, '').intField(2, spec.opset ?? 13));
  return w.finish();
}

/** Reads a varint at `pos`; returns [value, next position]. Values fit in a double for the lengths and tags we read. */
function readVarint(bytes: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let mult = 1;
  for (;;) {
    if (pos >= bytes.length) throw new RangeError('ONNX protobuf: truncated varint');
    const b = bytes[pos++];
    result += (b & 0x7f) * mult;
    if (b < 0x80) return [result, pos];
    mult *= 128;
  }
}

/** Top-level fields of a protobuf message as (field, wire type, start, end of the whole field). */
function scanFields(bytes: Uint8Array): { field: number; wire: number; start: number; valueStart: number; end: number }[] {
  const out = [];
  let pos = 0;
  while (pos < bytes.length) {
    const start = pos;
    const [key, p1] = readVarint(bytes, pos);
    const field = Math.floor(key / 8);
    const wire = key & 7;
    let valueStart = p1;
    let end: number;
    if (wire === 0) end = readVarint(bytes, p1)[1];
    else if (wire === 1) end = p1 + 8;
    else if (wire === 5) end = p1 + 4;
    else if (wire === 2) {
      const [len, p2] = readVarint(bytes, p1);
      valueStart = p2;
      end = p2 + len;
    } else throw new RangeError(`ONNX protobuf: unsupported wire type ${wire} at byte ${start}`);
    if (end > bytes.length) throw new RangeError(`ONNX protobuf: field ${field} runs past the end`);
    out.push({ field, wire, start, valueStart, end });
    pos = end;
  }
  return out;
}

/** Names of the graph's outputs, inputs, and every node output (in node order), read from the model bytes. */
export function onnxGraphNames(model: Uint8Array): { inputs: string[]; outputs: string[]; nodeOutputs: string[] } {
  const graphField = scanFields(model).find((f) => f.field === 7 && f.wire === 2);
  if (!graphField) throw new RangeError('ONNX model has no graph');
  const graph = model.subarray(graphField.valueStart, graphField.end);
  const dec = new TextDecoder();
  const names = { inputs: [] as string[], outputs: [] as string[], nodeOutputs: [] as string[] };
  const firstString = (msg: Uint8Array, field: number): string[] =>
    scanFields(msg).filter((f) => f.field === field && f.wire === 2).map((f) => dec.decode(msg.subarray(f.valueStart, f.end)));
  for (const f of scanFields(graph)) {
    const body = graph.subarray(f.valueStart, f.end);
    if (f.field === 1) names.nodeOutputs.push(...firstString(body, 2));
    else if (f.field === 11) names.inputs.push(...firstString(body, 1).slice(0, 1));
    else if (f.field === 12) names.outputs.push(...firstString(body, 1).slice(0, 1));
  }
  return names;
}

/**
 * Returns a copy of `model` whose graph also lists `names` as outputs (float tensors of
 * unspecified shape), so onnxruntime can return an internal activation such as the pooled
 * penultimate features. Names already among the outputs are skipped.
 */
export function addOnnxGraphOutputs(model: Uint8Array, names: string[]): Uint8Array {
  const fields = scanFields(model);
  const graphField = fields.find((f) => f.field === 7 && f.wire === 2);
  if (!graphField) throw new RangeError('ONNX model has no graph');
  const existing = onnxGraphNames(model);
  const extra = new ProtoWriter();
  for (const name of names) {
    if (existing.outputs.includes(name)) continue;
    extra.message(12, (v) => {
      v.stringField(1, name);
      v.message(2, (type) => type.message(1, (tensor) => tensor.intField(1, DTYPE.FLOAT)));
    });
  }
  const extraBytes = extra.finish();
  if (extraBytes.length === 0) return model;
  const oldGraph = model.subarray(graphField.valueStart, graphField.end);
  const newGraph = new Uint8Array(oldGraph.length + extraBytes.length);
  newGraph.set(oldGraph);
  newGraph.set(extraBytes, oldGraph.length);
  const graphWriter = new ProtoWriter().bytesField(7, newGraph).finish();
  const out = new Uint8Array(graphField.start + graphWriter.length + (model.length - graphField.end));
  out.set(model.subarray(0, graphField.start));
  out.set(graphWriter, graphField.start);
  out.set(model.subarray(graphField.end), graphField.start + graphWriter.length);
  return out;
}
