/**
 * Slot bookkeeping for grids of nested neuron subsets (prefixes of one order per seed), used
 * by SubsetCka.prefixGrid: every block sum of the grid comes from one pass over the Gram
 * per order.
 */

/**
 * Slot of every neuron 0..d-1 in `order` for prefix lengths ks (ascending): the first t with
 * position < ks[t]; neurons past the last prefix get ks.length → Int32Array of length d.
 */
export function prefixSlots(order: Int32Array, ks: readonly number[], d: number): Int32Array {
  const slot = new Int32Array(d).fill(ks.length);
  let pos = 0;
  for (let t = 0; t < ks.length; t++) {
    for (; pos < ks[t]; pos++) {
      const b = order[pos];
      if (!(b >= 0 && b < d)) throw new RangeError(`SubsetCka: neuron indices must be in [0, ${d}), got ${b}`);
      if (slot[b] !== ks.length) throw new RangeError(`SubsetCka: neuron ${b} appears twice in one order`);
      slot[b] = t;
    }
  }
  return slot;
}

/** Cumulative row sums by level (see {@link rowSlotSums}). */
export interface SlotSums {
  /** d×levels: Σ_{b : slot(b) ≤ L} C[a,b]². */
  c: Float64Array;
  /** d×levels: Σ_{b : slot(b) ≤ L} Q[a,b], when Q is given. */
  q: Float64Array | undefined;
}

/**
 * Per row a and level L: Σ_{b : slot(b) ≤ L} C[a,b]² (and Σ Q[a,b]), d×levels row-major,
 * from one sequential pass over the d×d row-major `gram` (and `squaresGram`).
 */
export function rowSlotSums(gram: Float64Array, qGram: Float64Array | undefined, d: number, slot: Int32Array, levels: number): SlotSums {
  const width = levels + 1; // the last bucket collects neurons outside every prefix
  const c = new Float64Array(d * levels);
  const q = qGram ? new Float64Array(d * levels) : undefined;
  const bucket = new Float64Array(width);
  const qBucket = new Float64Array(width);
  for (let a = 0; a < d; a++) {
    const row = a * d;
    bucket.fill(0);
    for (let b = 0; b < d; b++) {
      const v = gram[row + b];
      bucket[slot[b]] += v * v;
    }
    let acc = 0;
    for (let t = 0; t < levels; t++) {
      acc += bucket[t];
      c[a * levels + t] = acc;
    }
    if (q && qGram) {
      qBucket.fill(0);
      for (let b = 0; b < d; b++) qBucket[slot[b]] += qGram[row + b];
      let qa = 0;
      for (let t = 0; t < levels; t++) {
        qa += qBucket[t];
        q[a * levels + t] = qa;
      }
    }
  }
  return { c, q };
}

/**
 * For every level L: Σ over rows a with rowSlot(a) ≤ L of cumulative[a, L], where
 * cumulative[a, L] = Σ_{b : slot(b) ≤ L} M[a,b]² (from rowSlotSums), i.e. the sum over the
 * block (prefix L of the row order) × (prefix L of the column order).
 */
export function blockSums(rowSlot: Int32Array, cumulative: Float64Array, levels: number): Float64Array {
  const out = new Float64Array(levels);
  for (let a = 0; a < rowSlot.length; a++) {
    const t0 = rowSlot[a];
    if (t0 >= levels) continue;
    const off = a * levels;
    for (let t = t0; t < levels; t++) out[t] += cumulative[off + t];
  }
  return out;
}

/** Throws unless ks are ascending distinct integers in [1, max]. */
export function checkPrefixLengths(ks: readonly number[], max: number): void {
  if (ks.length === 0) throw new RangeError('SubsetCka: no prefix lengths given');
  for (let i = 0; i < ks.length; i++) {
    const k = ks[i];
    if (!Number.isInteger(k) || k < 1 || k > max || (i > 0 && k <= ks[i - 1])) {
      throw new RangeError(`SubsetCka: prefix lengths must be ascending distinct integers in [1, ${max}], got ${ks.join(',')}`);
    }
  }
}
