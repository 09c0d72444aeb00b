/**
 * WebAssembly SIMD (f64x2) inner loop of the tridiagonalisation's symmetric matrix–vector
 * product ({@link symvLowerRows}'s four-row pass), over a shared WebAssembly memory that the
 * matrix, the reflector and every thread's partial product live in, so worker threads run the
 * same kernel on the same bytes. Float64 throughout (same sums as the TypeScript kernel, two
 * columns per instruction); the 4×4 diagonal blocks, odd columns and leftover rows stay in TypeScript.
 */
import { addDiagonalBlock4, symvLowerRows } from './symv.js';

/** A shared WebAssembly memory (the project's `lib` omits the DOM typings that declare WebAssembly). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer | SharedArrayBuffer;
}

/** The few members of the WebAssembly JS API used here. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
}

const wasmApi = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly;

/** Bytes of the module: imports `env.mem` (shared), exports `rows4`. */
function rows4Module(): Uint8Array {
  const leb = (v: number): number[] => {
    const out: number[] = [];
    do {
      let b = v & 0x7f;
      v >>>= 7;
      if (v) b |= 0x80;
      out.push(b);
    } while (v);
    return out;
  };
  const section = (id: number, body: number[]) => [id, ...leb(body.length), ...body];
  const str = (s: string) => [...leb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const get = (i: number) => [0x20, i];
  const set = (i: number) => [0x21, i];
  const tee = (i: number) => [0x22, i];
  const simd = (op: number) => [0xfd, ...leb(op)];
  const V128_LOAD = 0x00, V128_STORE = 0x0b, F64X2_SPLAT = 0x14, F64X2_EXTRACT = 0x21, F64X2_ADD = 0xf0, F64X2_MUL = 0xf2;
  const mem = (align: number, offset: number) => [...leb(align), ...leb(offset)];
  // Params: 0 pw (byte address of row r, column 0), 1 stride (row bytes), 2 pu, 3 py, 4 j0, 5 j1 (columns,
  // j1 − j0 even), 6 pout (in: u[r … r+3]; out: the four row sums over [j0, j1)).
  // Locals: 7 off, 8 end, 9 addr, 10 yaddr (i32); 11–14 acc, 15–18 x, 19 uj, 20–23 splatted u[r + i] (v128).
  const acc = (i: number) => 11 + i, x = (i: number) => 15 + i, s = (i: number) => 20 + i;
  const body: number[] = [];
  for (let i = 0; i < 4; i++) body.push(...get(6), 0x2b, ...mem(3, 8 * i), ...simd(F64X2_SPLAT), ...set(s(i)));
  body.push(...get(4), 0x41, 3, 0x74, ...set(7));
  body.push(...get(5), 0x41, 3, 0x74, ...set(8));
  body.push(0x02, 0x40, 0x03, 0x40);
  body.push(...get(7), ...get(8), 0x4f, 0x0d, 1);
  body.push(...get(0), ...get(7), 0x6a, ...tee(9), ...simd(V128_LOAD), ...mem(3, 0), ...set(x(0)));
  for (let i = 1; i < 4; i++) body.push(...get(9), ...get(1), 0x6a, ...tee(9), ...simd(V128_LOAD), ...mem(3, 0), ...set(x(i)));
  body.push(...get(2), ...get(7), 0x6a, ...simd(V128_LOAD), ...mem(3, 0), ...set(19));
  for (let i = 0; i < 4; i++) body.push(...get(acc(i)), ...get(x(i)), ...get(19), ...simd(F64X2_MUL), ...simd(F64X2_ADD), ...set(acc(i)));
  body.push(...get(3), ...get(7), 0x6a, ...tee(10), ...get(10), ...simd(V128_LOAD), ...mem(3, 0));
  body.push(...get(x(0)), ...get(s(0)), ...simd(F64X2_MUL));
  for (let i = 1; i < 4; i++) body.push(...get(x(i)), ...get(s(i)), ...simd(F64X2_MUL), ...simd(F64X2_ADD));
  body.push(...simd(F64X2_ADD), ...simd(V128_STORE), ...mem(3, 0));
  body.push(...get(7), 0x41, 16, 0x6a, ...set(7), 0x0c, 0, 0x0b, 0x0b);
  for (let i = 0; i < 4; i++) {
    body.push(...get(6), ...get(acc(i)), ...simd(F64X2_EXTRACT), 0, ...get(acc(i)), ...simd(F64X2_EXTRACT), 1, 0xa0, 0x39, ...mem(3, 8 * i));
  }
  body.push(0x0b);
  const locals = [2, 4, 0x7f, 13, 0x7b];
  const fn = [...locals, ...body];
  const pages = 65536;
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 7, ...Array(7).fill(0x7f), 0]),
    ...section(2, [1, ...str('env'), ...str('mem'), 0x02, 0x03, 0, ...leb(pages)]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...str('rows4'), 0x00, 0]),
    ...section(10, [1, ...leb(fn.length), ...fn]),
  ]);
}

let compiled: object | null | undefined;

/** The compiled module, or null where WebAssembly SIMD or threads are unavailable. */
function rows4Compiled(): object | null {
  if (compiled === undefined) {
    try {
      compiled = wasmApi ? new wasmApi.Module(rows4Module()) : null;
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

/** Matrix, reflector and per-thread vectors inside one shared WebAssembly memory. */
export interface SymvArena {
  memory: WasmMemory;
  /** n×n row-major. */
  w: Float64Array;
  /** Length n. */
  u: Float64Array;
  /** Per thread: partial product (length n) and a 4-value scratch for the kernel's in/out. */
  threads: { y: Float64Array; scratch: Float64Array }[];
}

/** Largest byte size addressed (32-bit WebAssembly memory, kept under 4 GiB). */
const MAX_BYTES = 4 * 1024 ** 3 - 65536;

/**
 * Allocates the arena for an n×n matrix and `threads` partial products.
 * @returns undefined when WebAssembly SIMD/shared memory is unavailable or n is too large.
 */
export function createSymvArena(n: number, threads: number): SymvArena | undefined {
  if (!rows4Compiled()) return undefined;
  const doubles = n * n + n + threads * (n + 4);
  const bytes = 8 * doubles;
  if (bytes > MAX_BYTES) return undefined;
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  let memory: WasmMemory;
  try {
    memory = new wasmApi!.Memory({ initial: pages, maximum: pages, shared: true });
  } catch {
    return undefined;
  }
  const buf = memory.buffer;
  let off = 0;
  const take = (len: number) => {
    const v = new Float64Array(buf, off, len);
    off += 8 * len;
    return v;
  };
  const w = take(n * n);
  const u = take(n);
  const ts = Array.from({ length: threads }, () => ({ y: take(n), scratch: take(4) }));
  return { memory, w, u, threads: ts };
}

/** Same contract as {@link symvLowerRows}, plus the thread's 4-value scratch (all views into one memory). */
export type SymvRows = (w: Float64Array, n: number, s0: number, u: Float64Array, y: Float64Array, rStart: number, rEnd: number, scratch: Float64Array) => void;

/**
 * The SIMD kernel bound to `memory` (every array passed must be a view into it).
 * @returns undefined when the module cannot be instantiated here.
 */
export function wasmSymvRows(memory: WasmMemory): SymvRows | undefined {
  const mod = rows4Compiled();
  if (!mod) return undefined;
  let rows4: (pw: number, stride: number, pu: number, py: number, j0: number, j1: number, pout: number) => void;
  try {
    rows4 = new wasmApi!.Instance(mod, { env: { mem: memory } }).exports.rows4 as typeof rows4;
  } catch {
    return undefined;
  }
  return (w, n, s0, u, y, rStart, rEnd, scratch) => {
    const pu = u.byteOffset, py = y.byteOffset, pout = scratch.byteOffset, stride = 8 * n;
    let r = rStart;
    for (; r + 3 < rEnd; r += 4) {
      const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      const u0 = u[r], u1 = u[r + 1], u2 = u[r + 2], u3 = u[r + 3];
      const j1 = s0 + ((r - s0) & ~1);
      scratch[0] = u0;
      scratch[1] = u1;
      scratch[2] = u2;
      scratch[3] = u3;
      rows4(w.byteOffset + 8 * o0, stride, pu, py, s0, j1, pout);
      let a0 = scratch[0], a1 = scratch[1], a2 = scratch[2], a3 = scratch[3];
      if (j1 < r) {
        const x0 = w[o0 + j1], x1 = w[o1 + j1], x2 = w[o2 + j1], x3 = w[o3 + j1];
        const uj = u[j1];
        a0 += x0 * uj;
        a1 += x1 * uj;
        a2 += x2 * uj;
        a3 += x3 * uj;
        y[j1] += x0 * u0 + x1 * u1 + x2 * u2 + x3 * u3;
      }
      addDiagonalBlock4(w, n, r, u, y, a0, a1, a2, a3);
    }
    // Fewer than four rows left: the TypeScript kernel's single-row tail.
    symvLowerRows(w, n, s0, u, y, r, rEnd);
  };
}
