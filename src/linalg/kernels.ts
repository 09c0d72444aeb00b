/**
 * Blocked single-thread TypeScript kernels (float32 in, float64 accumulation). They serve small
 * problems directly (where calling a native library costs more than it saves) and are the work
 * units of the worker-thread implementation. Output tiles are kept small enough for L2 and four
 * data rows are folded per pass so each output load/store carries eight flops.
 */

/** Output-tile width in columns: 256 float64 = 2 KiB per output row. */
const TILE_J = 256;
/** Output-tile height in rows. */
const TILE_I = 32;

/**
 * Adds Aᵀ·B restricted to output rows [i0, i1) to `out` (p×q row-major, float64), over data
 * rows [r0, r1). With `symmetric` (A === B, p === q) only columns j ≥ i are filled.
 * A is n×p and B is n×q row-major.
 */
export function crossProductInto(
  a: Float32Array, b: Float32Array, p: number, q: number,
  r0: number, r1: number, i0: number, i1: number, out: Float64Array, symmetric: boolean,
): void {
  for (let ib = i0; ib < i1; ib += TILE_I) {
    const ie = Math.min(ib + TILE_I, i1);
    const jStart = symmetric ? ib : 0;
    for (let jb = jStart; jb < q; jb += TILE_J) {
      const je = Math.min(jb + TILE_J, q);
      let r = r0;
      for (; r + 3 < r1; r += 4) {
        const a0 = r * p, a1 = a0 + p, a2 = a1 + p, a3 = a2 + p;
        const b0 = r * q, b1 = b0 + q, b2 = b1 + q, b3 = b2 + q;
        for (let i = ib; i < ie; i++) {
          const x0 = a[a0 + i], x1 = a[a1 + i], x2 = a[a2 + i], x3 = a[a3 + i];
          if (x0 === 0 && x1 === 0 && x2 === 0 && x3 === 0) continue;
          const o = i * q;
          const js = symmetric && i > jb ? i : jb;
          for (let j = js; j < je; j++) {
            out[o + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
          }
        }
      }
      for (; r < r1; r++) {
        const a0 = r * p;
        const b0 = r * q;
        for (let i = ib; i < ie; i++) {
          const x0 = a[a0 + i];
          if (x0 === 0) continue;
          const o = i * q;
          const js = symmetric && i > jb ? i : jb;
          for (let j = js; j < je; j++) out[o + j] += x0 * b[b0 + j];
        }
      }
    }
  }
}

/** Copies the upper triangle of a p×p row-major matrix onto its lower triangle (in 32×32 tiles: the column writes stay in cache). */
export function mirrorUpper(out: Float64Array, p: number): void {
  for (let i0 = 0; i0 < p; i0 += 32) {
    const i1 = Math.min(p, i0 + 32);
    for (let j0 = i0; j0 < p; j0 += 32) {
      const j1 = Math.min(p, j0 + 32);
      for (let i = i0; i < i1; i++) for (let j = Math.max(j0, i + 1); j < j1; j++) out[j * p + i] = out[i * p + j];
    }
  }
}

/** Aᵀ·A for A n×p (float32, row-major) → p×p Float64Array, single thread. */
export function gramSync(a: Float32Array, n: number, p: number): Float64Array {
  const out = new Float64Array(p * p);
  crossProductInto(a, a, p, p, 0, n, 0, p, out, true);
  mirrorUpper(out, p);
  return out;
}

/** Aᵀ·B for A n×p, B n×q (float32, row-major) → p×q Float64Array, single thread. */
export function crossSync(a: Float32Array, b: Float32Array, n: number, p: number, q: number): Float64Array {
  const out = new Float64Array(p * q);
  crossProductInto(a, b, p, q, 0, n, 0, p, out, false);
  return out;
}

/**
 * Rows [i0, i1) of A·B (A m×k, B k×n, float32 row-major) into `out` (m×n float32), accumulating
 * each output row in float64.
 */
export function matmulRowsInto(a: Float32Array, b: Float32Array, k: number, n: number, i0: number, i1: number, out: Float32Array): void {
  const row = new Float64Array(n);
  for (let i = i0; i < i1; i++) {
    row.fill(0);
    const ao = i * k;
    let t = 0;
    for (; t + 3 < k; t += 4) {
      const x0 = a[ao + t], x1 = a[ao + t + 1], x2 = a[ao + t + 2], x3 = a[ao + t + 3];
      const b0 = t * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
      for (let j = 0; j < n; j++) row[j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
    }
    for (; t < k; t++) {
      const x0 = a[ao + t];
      const b0 = t * n;
      for (let j = 0; j < n; j++) row[j] += x0 * b[b0 + j];
    }
    out.set(row, i * n);
  }
}

/** A·B for A m×k, B k×n (float32 row-major) → m×n Float32Array, single thread. */
export function matmulSync(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const out = new Float32Array(m * n);
  matmulRowsInto(a, b, k, n, 0, m, out);
  return out;
}

/**
 * Splits output rows [0, p) of a symmetric (upper-triangle) product into `parts` ranges with
 * about equal work: row i costs p − i.
 */
export function balancedTriangleSplit(p: number, parts: number): number[] {
  const bounds = [0];
  const total = (p * (p + 1)) / 2;
  let acc = 0;
  let next = 1;
  for (let i = 0; i < p && next < parts; i++) {
    acc += p - i;
    if (acc >= (total * next) / parts) {
      bounds.push(i + 1);
      next++;
    }
  }
  while (bounds.length < parts) bounds.push(p);
  bounds.push(p);
  return bounds;
}
