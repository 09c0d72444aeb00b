/**
 * The dense products the analysis needs, behind one interface so the implementation
 * (pure TypeScript reference, onnxruntime, tfjs-wasm, worker threads) is injected, not global.
 * All matrices are row-major. Inputs are float32 (features); Gram-type outputs are float64
 * because they feed solves and CKA ratios where float32 accumulation loses digits.
 */
export interface Linalg {
  /** Short name shown in logs and benchmarks, e.g. `reference`, `onnx`. */
  readonly name: string;
  /** Accumulation precision of gram/crossProduct/matmul (absent: not stated; reference and TypeScript kernels are float64). */
  readonly precision?: 'float32' | 'float64';
  /** Threads the products run on (absent: one, the calling thread). */
  readonly threads?: number;
  /** Aᵀ·A for A n×p → p×p symmetric Float64Array. */
  gram(a: Float32Array, n: number, p: number): Promise<Float64Array>;
  /**
   * Optional: (A − 1·sᵀ)ᵀ(A − 1·sᵀ) for A n×p and a float32 shift s (length p), the differences
   * formed in float32 → p×p symmetric Float64Array. A centred Gram without a shifted copy of A;
   * `centredGram` uses it when present (onnxruntime offers it inside its Gram graph).
   */
  gramShifted?(a: Float32Array, n: number, p: number, shift: Float32Array): Promise<Float64Array>;
  /** Aᵀ·B for A n×p and B n×q → p×q Float64Array. */
  crossProduct(a: Float32Array, b: Float32Array, n: number, p: number, q: number): Promise<Float64Array>;
  /** A·B for A m×k and B k×n (float32) → m×n Float32Array. */
  matmul(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Promise<Float32Array>;
  /**
   * Optional native float64 product op(A)·op(B) → m×n Float64Array, where op(A) is m×k
   * (A stored k×m when `transposeA`) and op(B) is k×n (B stored n×k when `transposeB`).
   * Backends with a double GEMM (onnxruntime's MLAS) offer it; `gemm64` (dense64.ts) falls back to
   * a TypeScript kernel when absent. Blocked Cholesky, triangular solves and the eigensolver run on it.
   */
  matmul64?(a: Float64Array, b: Float64Array, m: number, k: number, n: number, opts?: Gemm64Options): Promise<Float64Array>;
  /** Frees workers/sessions. Safe to call twice. */
  dispose?(): Promise<void> | void;
}

/** Transposition flags and accumulation target of {@link Linalg.matmul64}. */
export interface Gemm64Options {
  transposeA?: boolean;
  transposeB?: boolean;
  /**
   * m×n row-major C: the product is added into it in place (C ← C + op(A)·op(B)) and C itself is
   * returned, so a trailing update needs no separate subtraction pass over its output (pass −A).
   */
  accumulate?: Float64Array;
}

/**
 * Checks `Gemm64Options.accumulate` at a product's boundary: m×n values, and sharing no memory with
 * the operands (the product reads them while it writes C, so an overlap would give a wrong result).
 * @throws RangeError prefixed with `what` (the function's name).
 */
export function checkAccumulate(acc: Float64Array | undefined, a: Float64Array, b: Float64Array, m: number, n: number, what: string): void {
  if (!acc) return;
  if (acc.length !== m * n) throw new RangeError(`${what}: accumulate has ${acc.length} values, expected ${m}×${n} = ${m * n}`);
  for (const [x, name] of [[a, 'A'], [b, 'B']] as const) {
    if (x.buffer === acc.buffer && x.byteOffset < acc.byteOffset + acc.byteLength && acc.byteOffset < x.byteOffset + x.byteLength) {
      throw new RangeError(`${what}: accumulate overlaps ${name} in memory (C must be a separate array)`);
    }
  }
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
