import { checkAccumulate, checkShape, type Linalg } from './types.js';
import { crossSync, gramSync, matmulSync, mirrorUpper } from './kernels.js';
import { availableParallelism } from 'node:os';
import { gemm64Model, linalgModel, panelGramModel, tailGramModel, type LinalgGraphKind } from './onnxGraph.js';

/** Options of {@link createOnnxLinalg}. */
export interface OnnxLinalgOptions {
  /**
   * `float32`: MatMul/Gemm in float32 on each row block, blocks summed in float64 (fast).
   * `float64`: inputs cast to double inside the graph (≈ 4–8× slower, ≈ 1e-15 relative).
   */
  precision?: 'float32' | 'float64';
  /**
   * Rows per Gram/cross-product block; default: about 4M values per block (2048 rows at p = 2048).
   * Measured at 45,000 × 2048 on the 2-core machine, same session: 4096-row blocks 1.26–1.80 s and
   * 0.24 GiB of onnxruntime working memory above the data, 2048-row blocks 1.31–1.50 s and 0.17 GiB,
   * 1024-row blocks 1.46–1.66 s and 0.13 GiB.
   */
  rowBlock?: number;
  /** onnxruntime intra-op threads (default: onnxruntime's own, all cores). */
  threads?: number;
  /** Execution providers in preference order (default ['cpu']). */
  providers?: string[];
  /** Problems below this many flops run on the in-process TypeScript kernel (call overhead dominates). */
  smallFlops?: number;
  /**
   * Column panels for the Gram (upper-triangle panel products only, c(c+1)/2 of c² flops).
   * Default 1 (one Gemm): on the 2-core development machine 2 or 4 panels measured no faster
   * (12,000×1024: 1.8–2.6 s for 1, 1.9–3.4 s for 2, 1.8–3.4 s for 4), the panel copies and
   * narrower products eating the saved flops.
   */
  gramPanels?: number;
  /**
   * Float32 Gram only: split the columns into this many panels at equal work and compute, per
   * row block, Xᵢᵀ·X[:, sᵢ:] for each panel i inside one onnxruntime graph (a Transpose, row
   * slices, c Gemms; no JavaScript copies): (c + 1)/(2c) of the full product's flops, the
   * upper triangle only, as numpy's SYRK. Default {@link DEFAULT_TAIL_PANELS} when p ≥ 512,
   * else 1 (one Gemm). Ignored when `gramPanels` > 1. Measured at 20,000×2048 on the loaded
   * 2-core machine, same run: 1 panel 19–21 s (CPU 6.0–6.6 s), 4 panels 9.4–11.6 s (CPU 3.1–3.8 s),
   * 8 panels 9.5–14.4 s (CPU 3.3–3.8 s).
   */
  gramTailPanels?: number;
  /**
   * Let onnxruntime's intra-op threads spin after a product. Default false, for every session:
   * each session has its own thread pool, and the analysis alternates sessions (a softmax
   * evaluation runs matmul, then TypeScript, then crossProduct, then matmul64), so threads left
   * spinning by one session compete for the cores with the next one's. Measured on the 2-core
   * machine, 45,000×2048 float32, alternating matmul and crossProduct: 50.7 and 93.0 ms with
   * spinning, 31.4 and 66.0 ms without (back to back on one session: 31 and 59 ms either way);
   * a softmax probe at k = 1843 in place, 50 evaluations: 9.4 s → 7.8 s. The blocked float64
   * kernels measured the same (n = 1024: back-transformation 0.38–0.48 CPU-s without spinning,
   * 0.77–0.91 with). `DR_ONNX_SPIN=1` in the environment turns it on when the option is not given.
   */
  spinning?: boolean;
}

/** Tail panels of the float32 Gram by default (62.5% of the flops at 4). */
export const DEFAULT_TAIL_PANELS = 4;

const BLOCK_VALUES = 4 * 1024 * 1024;

/** out[s + u][s + v] += y[u][v] for a (e − s)×(p − s) tail product (kept small so V8 optimises it). */
function addTail(out: Float64Array, p: number, s: number, e: number, y: Float32Array): void {
  const tail = p - s;
  for (let u = 0; u < e - s; u++) {
    const o = (s + u) * p + s;
    const yo = u * tail;
    for (let v = 0; v < tail; v++) out[o + v] += y[yo + v];
  }
}
const DEFAULT_SMALL_FLOPS = 4e6;

/** A − 1·shiftᵀ in float32 (small inputs of `gramShifted`, whose products run in TypeScript). */
function shiftedCopy(a: Float32Array, n: number, p: number, shift: Float32Array): Float32Array {
  const out = new Float32Array(n * p);
  for (let r = 0; r < n; r++) {
    const o = r * p;
    for (let j = 0; j < p; j++) out[o + j] = a[o + j] - shift[j];
  }
  return out;
}

/**
 * A {@link Linalg} on onnxruntime-node (MLAS kernels). One session per product kind, with
 * symbolic dims so it serves every shape. Gram and cross products run on row blocks whose
 * results are summed in float64, which keeps float32 accumulation error at the block length.
 * @throws Error when onnxruntime-node cannot be loaded or a session cannot be created.
 */
export async function createOnnxLinalg(opts: OnnxLinalgOptions = {}): Promise<Linalg> {
  const ort: any = await import('onnxruntime-node');
  const double = opts.precision === 'float64';
  const smallFlops = opts.smallFlops ?? DEFAULT_SMALL_FLOPS;
  const sessions = new Map<LinalgGraphKind, Promise<any>>();
  const spin = opts.spinning ?? process.env.DR_ONNX_SPIN === '1';
  const sessionOptions = {
    executionProviders: opts.providers ?? ['cpu'],
    graphOptimizationLevel: 'all',
    ...(opts.threads ? { intraOpNumThreads: opts.threads } : {}),
    ...(spin ? {} : { extra: { session: { intra_op: { allow_spinning: '0' } } } }),
  };
  const session = (kind: LinalgGraphKind): Promise<any> => {
    const existing = sessions.get(kind);
    if (existing) return existing;
    const created: Promise<any> = ort.InferenceSession.create(linalgModel(kind, double), sessionOptions);
    sessions.set(kind, created);
    return created;
  };
  const panelSessions = new Map<number, Promise<any>>();
  const panelSession = (c: number): Promise<any> => {
    const existing = panelSessions.get(c);
    if (existing) return existing;
    const created: Promise<any> = ort.InferenceSession.create(panelGramModel(c, double), sessionOptions);
    panelSessions.set(c, created);
    return created;
  };
  const gemmSessions = new Map<string, Promise<any>>();
  const gemmSession = (transA: boolean, transB: boolean, addend: boolean): Promise<any> => {
    const key = `${transA ? 't' : 'n'}${transB ? 't' : 'n'}${addend ? 'c' : ''}`;
    const existing = gemmSessions.get(key);
    if (existing) return existing;
    const created: Promise<any> = ort.InferenceSession.create(gemm64Model(transA, transB, addend), sessionOptions);
    gemmSessions.set(key, created);
    return created;
  };
  const tailSessions = new Map<string, Promise<any>>();
  const tailSession = (c: number, shifted: boolean): Promise<any> => {
    const key = `${c}${shifted ? 's' : ''}`;
    const existing = tailSessions.get(key);
    if (existing) return existing;
    const created: Promise<any> = ort.InferenceSession.create(tailGramModel(c, true, shifted), sessionOptions);
    tailSessions.set(key, created);
    return created;
  };
  const tailPanelsFor = (p: number) => Math.max(1, Math.min(Math.floor(p / 64), opts.gramTailPanels ?? (p >= 512 ? DEFAULT_TAIL_PANELS : 1)));
  const int64 = (v: number) => new ort.Tensor('int64', BigInt64Array.from([BigInt(v)]), [1]);

  /**
   * XᵀX (or (X − 1·shiftᵀ)ᵀ(X − 1·shiftᵀ)) from the upper-triangle tail products of c equal-work
   * column panels (float32 blocks summed in float64).
   */
  async function tailGram(a: Float32Array, n: number, p: number, c: number, shift?: Float32Array): Promise<Float64Array> {
    const s = await tailSession(c, shift !== undefined);
    // Panel i covers columns [sᵢ, sᵢ₊₁); its product has wᵢ·(p − sᵢ) entries, equal across i.
    const starts = Array.from({ length: c + 1 }, (_, i) => Math.round(p * (1 - Math.sqrt(1 - i / c))));
    const out = new Float64Array(p * p);
    const step = blockRows(p);
    const fixed: Record<string, unknown> = { AXIS: int64(0), END: int64(p) };
    if (shift) fixed.SHIFT = new ort.Tensor('float32', shift, [p]);
    for (let i = 0; i < c; i++) {
      fixed[`S${i}`] = int64(starts[i]);
      fixed[`E${i}`] = int64(starts[i + 1]);
    }
    for (let r0 = 0; r0 < n; r0 += step) {
      const rows = Math.min(step, n - r0);
      const result = await s.run({ ...fixed, X: tensor(a.subarray(r0 * p, (r0 + rows) * p), rows, p) });
      for (let i = 0; i < c; i++) addTail(out, p, starts[i], starts[i + 1], result[`Y${i}`].data as Float32Array);
      for (let i = 0; i < c; i++) result[`Y${i}`].dispose?.();
    }
    mirrorUpper(out, p);
    return out;
  }

  const panelsFor = (p: number) => Math.max(1, Math.min(p, opts.gramPanels ?? 1));

  /** XᵀX via column panels: each row block is split into c contiguous panels, only i ≤ j products run. */
  async function panelGram(a: Float32Array, n: number, p: number, c: number): Promise<Float64Array> {
    const s = await panelSession(c);
    const starts = Array.from({ length: c + 1 }, (_, i) => Math.round((p * i) / c));
    const out = new Float64Array(p * p);
    const step = blockRows(p);
    const buffers = starts.slice(0, c).map((st, i) => new Float32Array(Math.min(step, n) * (starts[i + 1] - st)));
    for (let r0 = 0; r0 < n; r0 += step) {
      const rows = Math.min(step, n - r0);
      const feeds: Record<string, unknown> = {};
      for (let i = 0; i < c; i++) {
        const w = starts[i + 1] - starts[i];
        const buf = buffers[i].subarray(0, rows * w);
        for (let r = 0; r < rows; r++) {
          const src = (r0 + r) * p + starts[i];
          buf.set(a.subarray(src, src + w), r * w);
        }
        feeds[`X${i}`] = tensor(buf, rows, w);
      }
      const result = await s.run(feeds);
      for (let i = 0; i < c; i++) {
        for (let j = i; j < c; j++) {
          const y = result[`Y${i}_${j}`];
          const data = y.data as Float32Array | Float64Array;
          const wi = starts[i + 1] - starts[i];
          const wj = starts[j + 1] - starts[j];
          for (let u = 0; u < wi; u++) {
            const o = (starts[i] + u) * p + starts[j];
            const yo = u * wj;
            for (let v = 0; v < wj; v++) out[o + v] += data[yo + v];
          }
          y.dispose?.();
        }
      }
    }
    // Fill the lower triangle from the upper (diagonal panels are full, off-diagonal only i < j).
    mirrorUpper(out, p);
    return out;
  }

  const tensor = (data: Float32Array, rows: number, cols: number) => new ort.Tensor('float32', data, [rows, cols]);
  const blockRows = (cols: number) => Math.max(1, opts.rowBlock ?? Math.floor(BLOCK_VALUES / Math.max(1, cols)));

  /** Σ over row blocks of Aᵢᵀ·Bᵢ (B omitted for the Gram), summed into a float64 p×q result. */
  async function blockedCross(kind: 'gram' | 'cross', a: Float32Array, b: Float32Array | null, n: number, p: number, q: number): Promise<Float64Array> {
    const s = await session(kind);
    const out = new Float64Array(p * q);
    const step = blockRows(Math.max(p, q));
    for (let r0 = 0; r0 < n; r0 += step) {
      const rows = Math.min(step, n - r0);
      const feeds: Record<string, unknown> = { A: tensor(a.subarray(r0 * p, (r0 + rows) * p), rows, p) };
      if (b) feeds.B = tensor(b.subarray(r0 * q, (r0 + rows) * q), rows, q);
      const result = await s.run(feeds);
      const y = result.Y.data as Float32Array | Float64Array;
      for (let i = 0; i < out.length; i++) out[i] += y[i];
      result.Y.dispose?.();
    }
    return out;
  }

  return {
    name: double ? 'onnx-f64' : 'onnx',
    precision: double ? 'float64' : 'float32',
    threads: opts.threads ?? availableParallelism(),
    async gram(a, n, p) {
      checkShape(a, n, p, 'gram: A');
      if (n === 0 || p === 0) return new Float64Array(p * p);
      if (2 * n * p * p < smallFlops) return gramSync(a, n, p);
      const panels = panelsFor(p);
      if (panels > 1) return panelGram(a, n, p, panels);
      const tail = double ? 1 : tailPanelsFor(p);
      if (tail > 1) return tailGram(a, n, p, tail);
      const g = await blockedCross('gram', a, null, n, p, p);
      // MLAS computes both triangles independently; make the result exactly symmetric.
      mirrorUpper(g, p);
      return g;
    },
    ...(double ? {} : {
      async gramShifted(a: Float32Array, n: number, p: number, shift: Float32Array): Promise<Float64Array> {
        checkShape(a, n, p, 'gramShifted: A');
        if (shift.length !== p) throw new RangeError(`gramShifted: shift has ${shift.length} values, expected p = ${p}`);
        if (n === 0 || p === 0) return new Float64Array(p * p);
        if (2 * n * p * p < smallFlops) return gramSync(shiftedCopy(a, n, p, shift), n, p);
        return tailGram(a, n, p, tailPanelsFor(p), shift);
      },
    }),
    async crossProduct(a, b, n, p, q) {
      checkShape(a, n, p, 'crossProduct: A');
      checkShape(b, n, q, 'crossProduct: B');
      if (n === 0 || p === 0 || q === 0) return new Float64Array(p * q);
      if (2 * n * p * q < smallFlops) return crossSync(a, b, n, p, q);
      return blockedCross('cross', a, b, n, p, q);
    },
    async matmul(a, b, m, k, n) {
      checkShape(a, m, k, 'matmul: A');
      checkShape(b, k, n, 'matmul: B');
      if (m === 0 || n === 0 || k === 0) return new Float32Array(m * n);
      if (2 * m * k * n < smallFlops) return matmulSync(a, b, m, k, n);
      const s = await session('matmul');
      // A large output is made in row blocks of A (~4M values each): one product over all m rows
      // ran at half the speed (40,000×2048 · 2048×1024: 1.55–1.69 s whole, 0.86–0.87 s in
      // 2048-row blocks, same run); a narrow one (softmax logits, 10 columns) is faster whole.
      const out = new Float32Array(m * n);
      const step = m * n > BLOCK_VALUES ? blockRows(k) : m;
      const bt = tensor(b, k, n);
      for (let r0 = 0; r0 < m; r0 += step) {
        const rows = Math.min(step, m - r0);
        const result = await s.run({ A: tensor(a.subarray(r0 * k, (r0 + rows) * k), rows, k), B: bt });
        // Copy out of onnxruntime's buffer (float64 outputs are narrowed to the interface's float32).
        out.set(result.Y.data as Float32Array | Float64Array, r0 * n);
        result.Y.dispose?.();
      }
      return out;
    },
    async matmul64(a, b, m, k, n, gemmOpts = {}) {
      const transA = gemmOpts.transposeA === true;
      const transB = gemmOpts.transposeB === true;
      if (a.length !== m * k) throw new RangeError(`matmul64: A has ${a.length} values, expected ${m}×${k} = ${m * k}`);
      if (b.length !== k * n) throw new RangeError(`matmul64: B has ${b.length} values, expected ${k}×${n} = ${k * n}`);
      const acc = gemmOpts.accumulate;
      checkAccumulate(acc, a, b, m, n, 'matmul64');
      if (m === 0 || n === 0 || k === 0) return acc ?? new Float64Array(m * n);
      const s = await gemmSession(transA, transB, acc !== undefined);
      const feeds: Record<string, unknown> = {
        A: new ort.Tensor('float64', a, transA ? [k, m] : [m, k]),
        B: new ort.Tensor('float64', b, transB ? [n, k] : [k, n]),
      };
      if (acc) {
        // C is both the addend and the pre-allocated output: Gemm copies C into Y (a no-op here)
        // and MLAS accumulates into Y. The binding also returns a copy of Y, which is dropped.
        const c = new ort.Tensor('float64', acc, [m, n]);
        await s.run({ ...feeds, C: c }, { Y: c });
        return acc;
      }
      const result = await s.run(feeds);
      // A CPU output of the Node binding is a fresh JavaScript buffer (no disposer): hand it over
      // without a copy rather than disposing it (the copy measured ~5% of the tridiagonalisation).
      return result.Y.data as Float64Array;
    },
    async dispose() {
      const all = [...sessions.values(), ...panelSessions.values(), ...gemmSessions.values(), ...tailSessions.values()];
      sessions.clear();
      panelSessions.clear();
      tailSessions.clear();
      gemmSessions.clear();
      for (const s of all) await (await s).release?.();
    },
  };
}
