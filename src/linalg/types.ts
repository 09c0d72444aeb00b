/**
 * The dense products the analysis needs, behind one interface so the implementation
 * (pure TypeScript reference, onnxruntime, tfjs-wasm, worker threads) is injected, not global.
 * All matrices are row-major. Inputs are float32 (features); Gram-type outputs are float64
 * because they feed solves and CKA ratios where float32 accumulation loses digits.
 */
export interface Linalg {
  /** Short name shown in logs and benchmarks, e.g. `reference`, `onnx`. */
  readonly name: string;
  /** Aᵀ·A for A n×p → p×p symmetric Float64Array. */
  gram(a: Float32Array, n: number, p: number): Promise<Float64Array>;
  /** Aᵀ·B for A n×p and B n×q → p×q Float64Array. */
  crossProduct(a: Float32Array, b: Float32Array, n: number, p: number, q: number): Promise<Float64Array>;
  /** A·B for A m×k and B k×n (float32) → m×n Float32Array. */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Promise<Float32Array>;
  /** Frees workers/sessions. Safe to call twice. */
  dispose?(): Promise<void> | void;
}

/** Throws a RangeError naming `what` unless `arr.length === rows*cols`. */
export function checkShape(arr: ArrayLike<number>, rows: number, cols: number, what: string): void {
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0) {
    throw new RangeError(`${what}: bad shape ${rows}×${cols}`);
  }
  if (arr.length !== rows * cols) {
    throw new RangeError(`${what}: has ${arr.length} values, expected ${rows}×${cols} = ${rows * cols}`);
  }
}
