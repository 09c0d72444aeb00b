import { checkFeatureBlock, type FeatureBlock } from '../types.js';
import type { Linalg } from '../linalg/types.js';
import { referenceLinalg } from '../linalg/reference.js';
import { libraryLinalg } from '../linalg/select.js';
import { Progress, silentProgress, type ProgressSink } from '../util/progress.js';
import type { CkaVariant } from './linearCka.js';
import { centredCrossProduct, accumulatesInFloat64, columnMeans, resolveCentring, scaledUnbiasedHsic, type Centring } from './moments.js';
import { centredGram } from '../linalg/centred.js';
import { blockSums, checkPrefixLengths, prefixSlots, rowSlotSums, type SlotSums } from './prefixSlots.js';

/** How the Gram of squared centred features is formed (only for the debiased variant). */
export type SquaresPrecision = 'auto' | 'split' | 'float32';

/** Options of {@link SubsetCka.fromFeatures}. */
export interface SubsetCkaBuildOptions {
  /** Products backend; default {@link libraryLinalg} (the fastest float64 one). */
  linalg?: Linalg;
  /** Also build the statistics of the debiased variant (one more d×d product, two with `split`). Default false. */
  debiased?: boolean;
  /** Use only the first `rows` rows (the paper used the first 1000 test images). Default: all. */
  rows?: number;
  /**
   * `split`: squared centred features Z go to the Linalg as float32 hi + lo parts and
   * Q = ZhiᵀZhi + ZhiᵀZlo + ZloᵀZhi, accurate to ~1e-14 relative (with a float64-accumulating
   * backend) at the cost of one extra cross-product; `float32`: Z rounded to float32
   * (relative error ~1e-7 in Q). `auto` (default): `split` for float64-accumulating backends,
   * else `float32` (the backend's own rounding dominates).
   */
  squares?: SquaresPrecision;
  /** How C is centred (see {@link Centring}); default `auto`. `shift` uses the linalg folder's blocked centredGram. */
  centring?: Centring;
  /** Build-stage progress (done/total stages); default silent. */
  progress?: ProgressSink;
}

/** A subset of neurons made ready for repeated CKA: sorted indices and its self terms. */
export interface PreparedSubset {
  /** Ascending neuron indices. */
  readonly indices: Int32Array;
  /** ‖C[S,S]‖²_F. */
  readonly selfSquared: number;
  /** Σ_{a∈S} ‖C[a,:]‖² = ‖C[S,:]‖²_F. */
  readonly wholeSquared: number;
  /** tr C[S,S] = ‖X_S − mean‖²_F. */
  readonly trace: number;
  /** Σ Q[S,S] (debiased statistics only, else NaN). */
  readonly squaresSelf: number;
  /** Σ_{a∈S} Σ_b Q[a,b] (debiased statistics only, else NaN). */
  readonly squaresWhole: number;
}

/**
 * Linear CKA between subsets of one layer's neurons from a single d×d centred Gram,
 * without touching the data again.
 *
 * Biased form. With column-centred X (n×d) and C = XᵀX, for neuron subsets S, T:
 *   CKA(X_S, X_T) = ‖C[S,T]‖²_F / (‖C[S,S]‖_F · ‖C[T,T]‖_F)
 * because X_TᵀX_S = C[T,S]; and CKA(X_S, X) = Σ_{a∈S} ‖C[a,:]‖² / (‖C[S,S]‖_F ‖C‖_F),
 * whose numerator uses precomputed row norms, so part vs whole costs O(k²).
 *
 * Debiased form (derivation). The unbiased HSIC of Song et al. (2012) for kernels K, L
 * with zeroed diagonals K̃, L̃ is
 *   n(n−3)·HSIC_u = tr(K̃L̃) + (1ᵀK̃1)(1ᵀL̃1)/((n−1)(n−2)) − 2/(n−2)·1ᵀK̃L̃1.
 * It equals ⟨Ũ(K), Ũ(L)⟩ with the U-centring Ũ, which annihilates every matrix a1ᵀ + 1bᵀ.
 * Centring the columns of X changes K = X_S X_Sᵀ only by such terms
 * ((X − 1μᵀ)(X − 1μᵀ)ᵀ = XXᵀ − Xμ1ᵀ − 1μᵀXᵀ + (μᵀμ)11ᵀ), so we may take X centred.
 * Then K1 = X_S(X_Sᵀ1) = 0, and with r^S_i = ‖x_{i,S}‖² (the diagonal of K):
 *   1ᵀK̃1 = −Σ_i r^S_i = −tr C[S,S],   K̃1 = −r^S,   1ᵀK̃L̃1 = r^S·r^T,
 *   tr(K̃L̃) = tr(KL) − 2 r^S·r^T + r^S·r^T = ‖C[S,T]‖²_F − r^S·r^T,
 * so  n(n−3)·HSIC_u(S,T) = ‖C[S,T]‖²_F − n/(n−2)·r^S·r^T + trC[S,S]·trC[T,T]/((n−1)(n−2)).
 * The only new term, r^S·r^T = Σ_i Σ_{a∈S} Σ_{b∈T} X_ia² X_ib² = Σ_{a∈S,b∈T} Q[a,b], is a
 * block sum of Q = ZᵀZ with Z = X∘X (squared centred features), a second d×d Gram.
 * Part vs whole uses the precomputed row sums of Q. The n(n−3) factor cancels in CKA.
 */
export class SubsetCka {
  /** Σ_b C[a,b]² per neuron a (length d). */
  readonly rowSquared: Float64Array;
  /** ‖C‖²_F. */
  readonly totalSquared: number;
  /** tr C. */
  readonly trace: number;
  /** Σ_b Q[a,b] per neuron a (debiased statistics only). */
  readonly squaresRowSum: Float64Array | undefined;
  /** Σ Q (debiased statistics only, else NaN). */
  readonly squaresTotal: number;
  private readonly prepared = new WeakSet<PreparedSubset>();

  /**
   * @param n rows the Gram was built from (needed by the debiased variant)
   * @param d layer width
   * @param gram centred C = XcᵀXc, d×d row-major Float64Array
   * @param squaresGram Q = (Xc∘Xc)ᵀ(Xc∘Xc), d×d row-major Float64Array, for the debiased variant
   */
  constructor(
    readonly n: number,
    readonly d: number,
    readonly gram: Float64Array,
    readonly squaresGram?: Float64Array,
  ) {
    if (!Number.isInteger(d) || d < 1 || gram.length !== d * d) throw new RangeError(`SubsetCka: gram must be d×d with d=${d}, has ${gram.length} values`);
    if (squaresGram && squaresGram.length !== d * d) throw new RangeError(`SubsetCka: squaresGram must be ${d}×${d}, has ${squaresGram.length} values`);
    this.rowSquared = new Float64Array(d);
    let total = 0;
    let trace = 0;
    for (let a = 0; a < d; a++) {
      const off = a * d;
      let s = 0;
      for (let b = 0; b < d; b++) s += gram[off + b] * gram[off + b];
      this.rowSquared[a] = s;
      total += s;
      trace += gram[off + a];
    }
    this.totalSquared = total;
    this.trace = trace;
    if (squaresGram) {
      this.squaresRowSum = new Float64Array(d);
      let qt = 0;
      for (let a = 0; a < d; a++) {
        const off = a * d;
        let s = 0;
        for (let b = 0; b < d; b++) s += squaresGram[off + b];
        this.squaresRowSum[a] = s;
        qt += s;
      }
      this.squaresTotal = qt;
    } else {
      this.squaresTotal = NaN;
    }
  }

  /**
   * Builds the statistics from features x (n×d row-major Float32Array): one Gram from
   * `linalg` (centred in float64), plus the squares Gram when `debiased` is set.
   */
  static async fromFeatures(x: FeatureBlock, opts: SubsetCkaBuildOptions = {}): Promise<SubsetCka> {
    checkFeatureBlock(x, 'features');
    const linalg = opts.linalg ?? await libraryLinalg();
    let block = x;
    if (opts.rows !== undefined) {
      if (!Number.isInteger(opts.rows) || opts.rows < 2) throw new RangeError(`SubsetCka: rows must be an integer ≥ 2, got ${opts.rows}`);
      const rows = Math.min(opts.rows, x.n);
      block = { data: x.data.subarray(0, rows * x.d), n: rows, d: x.d };
    }
    if (block.n < 2) throw new RangeError(`SubsetCka: need at least 2 rows, got ${block.n}`);
    if (opts.debiased && block.n < 4) throw new RangeError(`SubsetCka: the debiased variant needs at least 4 rows, got ${block.n}`);
    const progress = new Progress('subset CKA statistics', opts.debiased ? 2 : 1, opts.progress ?? silentProgress, 'Gram');
    const mean = columnMeans(block);
    const gram = resolveCentring(opts.centring, linalg) === 'float64'
      ? await centredCrossProduct(block, block, mean, mean, linalg)
      : (await centredGram(linalg, block)).gram;
    progress.tick();
    let squaresGram: Float64Array | undefined;
    if (opts.debiased) {
      const squares = opts.squares ?? 'auto';
      const precision = squares === 'auto' ? (accumulatesInFloat64(linalg) ? 'split' : 'float32') : squares;
      squaresGram = await squaresGramOf(block, mean, linalg, precision);
      progress.tick();
    }
    return new SubsetCka(block.n, block.d, gram, squaresGram);
  }

  /** Whether the debiased variant is available. */
  get hasDebiased(): boolean {
    return this.squaresGram !== undefined;
  }

  /** Sorts and checks `indices` and computes its self terms (O(k²)); reuse the result across comparisons. */
  prepare(indices: Int32Array | readonly number[]): PreparedSubset {
    const s = Int32Array.from(indices).sort();
    if (s.length === 0) throw new RangeError('SubsetCka: empty subset');
    if (s[0] < 0 || s[s.length - 1] >= this.d) throw new RangeError(`SubsetCka: neuron indices must be in [0, ${this.d}), got ${s[0]}..${s[s.length - 1]}`);
    const { d, gram } = this;
    const q = this.squaresGram;
    const k = s.length;
    let diag = 0;
    let off = 0;
    let qDiag = 0;
    let qOff = 0;
    let trace = 0;
    let whole = 0;
    let qWhole = 0;
    for (let i = 0; i < k; i++) {
      const a = s[i];
      const row = a * d;
      const c = gram[row + a];
      diag += c * c;
      trace += c;
      whole += this.rowSquared[a];
      let acc = 0;
      for (let j = i + 1; j < k; j++) {
        const v = gram[row + s[j]];
        acc += v * v;
      }
      off += acc;
      if (q) {
        qDiag += q[row + a];
        qWhole += this.squaresRowSum![a];
        let qa = 0;
        for (let j = i + 1; j < k; j++) qa += q[row + s[j]];
        qOff += qa;
      }
    }
    return this.register({
      indices: s,
      selfSquared: diag + 2 * off,
      wholeSquared: whole,
      trace,
      squaresSelf: q ? qDiag + 2 * qOff : NaN,
      squaresWhole: q ? qWhole : NaN,
    });
  }

  /**
   * Self terms of every prefix of `order` whose length is in `ks` (ascending, distinct,
   * 1..order.length). See {@link prefixGrid}.
   */
  preparePrefixes(order: Int32Array, ks: readonly number[]): PreparedSubset[] {
    return this.prefixGrid([order], ks, 'linear', { pairs: false }).prefixes[0];
  }

  /**
   * CKA(X_{S_k}, X_{T_k}) for the prefixes S_k, T_k of two orders at every length in `ks`
   * (ascending, distinct). See {@link prefixGrid}.
   * @returns one CKA per entry of `ks`.
   */
  prefixSubsetVsSubset(first: Int32Array, second: Int32Array, ks: readonly number[], variant: CkaVariant = 'linear'): Float64Array {
    return this.prefixGrid([first, second], ks, variant).pairs[0];
  }

  /**
   * The paper's grid in one sweep. For neuron orders o_1..o_m (e.g. one random permutation
   * per seed) and prefix lengths ks (ascending, distinct), returns the self terms of every
   * prefix of every order, and, unless `pairs` is false, CKA(X_{S_k}, X_{T_k}) for every
   * pair of orders (i < j, lexicographic) at every k.
   *
   * Why it is fast: random subsets of one seed are nested prefixes of one permutation (see
   * randomNeuronIndices). Give neuron b of order o the slot t(b) = the first t with
   * pos_o(b) < ks[t]; then the prefix of length ks[L] is {b : t(b) ≤ L}. One sequential pass
   * over C per order o gives R_o[a, t] = Σ_{b : t_o(b) = t} C[a,b]² (and the same of Q), so
   *   ‖C[S_L, T_L]‖²_F = Σ_{a : t_p(a) ≤ L} Σ_{t ≤ L} R_q[a, t]
   * costs O(d·|ks|) per pair and level set. The whole grid is one O(d²) scan per order.
   */
  prefixGrid(
    orders: readonly Int32Array[],
    ks: readonly number[],
    variant: CkaVariant = 'linear',
    opts: { pairs?: boolean } = {},
  ): { prefixes: PreparedSubset[][]; pairs: Float64Array[] } {
    if (orders.length === 0) throw new RangeError('SubsetCka.prefixGrid: no orders given');
    checkPrefixLengths(ks, Math.min(...orders.map((o) => o.length)));
    if (variant !== 'linear') this.requireDebiased(variant);
    const slots = orders.map((order) => prefixSlots(order, ks, this.d));
    const sums = slots.map((slot) => rowSlotSums(this.gram, this.squaresGram, this.d, slot, ks.length));
    const prefixes = orders.map((order, j) => this.slotPrefixes(order, ks, slots[j], sums[j]));
    const pairs: Float64Array[] = [];
    if (opts.pairs === false) return { prefixes, pairs };
    const n = this.n;
    for (let i = 0; i < orders.length; i++) {
      for (let j = i + 1; j < orders.length; j++) {
        const { c, q } = sums[j];
        const cross = blockSums(slots[i], c, ks.length);
        const qCross = q ? blockSums(slots[i], q, ks.length) : undefined;
        const out = new Float64Array(ks.length);
        for (let t = 0; t < ks.length; t++) {
          const a = prefixes[i][t];
          const b = prefixes[j][t];
          if (variant === 'linear') {
            out[t] = cross[t] / Math.sqrt(a.selfSquared * b.selfSquared);
          } else {
            const st = scaledUnbiasedHsic(cross[t], qCross![t], a.trace, b.trace, n);
            const ss = scaledUnbiasedHsic(a.selfSquared, a.squaresSelf, a.trace, a.trace, n);
            const tt = scaledUnbiasedHsic(b.selfSquared, b.squaresSelf, b.trace, b.trace, n);
            out[t] = st / Math.sqrt(ss * tt);
          }
        }
        pairs.push(out);
      }
    }
    return { prefixes, pairs };
  }

  /** Self terms of every prefix of one order from its own slot sums. */
  private slotPrefixes(order: Int32Array, ks: readonly number[], slot: Int32Array, sums: SlotSums): PreparedSubset[] {
    const levels = ks.length;
    const self = blockSums(slot, sums.c, levels);
    const qSelf = sums.q ? blockSums(slot, sums.q, levels) : undefined;
    const trace = new Float64Array(levels);
    const whole = new Float64Array(levels);
    const qWhole = new Float64Array(levels);
    for (let a = 0; a < this.d; a++) {
      const t = slot[a];
      if (t >= levels) continue;
      trace[t] += this.gram[a * this.d + a];
      whole[t] += this.rowSquared[a];
      if (this.squaresRowSum) qWhole[t] += this.squaresRowSum[a];
    }
    const out: PreparedSubset[] = [];
    let tr = 0;
    let wh = 0;
    let qw = 0;
    for (let t = 0; t < levels; t++) {
      tr += trace[t];
      wh += whole[t];
      qw += qWhole[t];
      out.push(this.register({
        indices: Int32Array.from(order.subarray(0, ks[t])).sort(),
        selfSquared: self[t],
        wholeSquared: wh,
        trace: tr,
        squaresSelf: qSelf ? qSelf[t] : NaN,
        squaresWhole: sums.q ? qw : NaN,
      }));
    }
    return out;
  }

  private register(p: PreparedSubset): PreparedSubset {
    this.prepared.add(p);
    return p;
  }

  /** CKA(X_S, X): a neuron subset against the whole layer. O(k²), or O(1) for a prepared subset. */
  partVsWhole(subset: Int32Array | readonly number[] | PreparedSubset, variant: CkaVariant = 'linear'): number {
    const s = this.asPrepared(subset);
    if (variant === 'linear') return s.wholeSquared / Math.sqrt(s.selfSquared * this.totalSquared);
    this.requireDebiased(variant);
    const n = this.n;
    const sw = scaledUnbiasedHsic(s.wholeSquared, s.squaresWhole, s.trace, this.trace, n);
    const ss = scaledUnbiasedHsic(s.selfSquared, s.squaresSelf, s.trace, s.trace, n);
    const ww = scaledUnbiasedHsic(this.totalSquared, this.squaresTotal, this.trace, this.trace, n);
    return sw / Math.sqrt(ss * ww);
  }

  /** CKA(X_S, X_T) for two neuron subsets (any sizes, may overlap). O(|S|·|T|). */
  subsetVsSubset(
    first: Int32Array | readonly number[] | PreparedSubset,
    second: Int32Array | readonly number[] | PreparedSubset,
    variant: CkaVariant = 'linear',
  ): number {
    const s = this.asPrepared(first);
    const t = this.asPrepared(second);
    if (variant !== 'linear') this.requireDebiased(variant);
    const { cross, squaresCross } = this.crossBlock(s.indices, t.indices, variant === 'debiased');
    if (variant === 'linear') return cross / Math.sqrt(s.selfSquared * t.selfSquared);
    const n = this.n;
    const st = scaledUnbiasedHsic(cross, squaresCross, s.trace, t.trace, n);
    const ss = scaledUnbiasedHsic(s.selfSquared, s.squaresSelf, s.trace, s.trace, n);
    const tt = scaledUnbiasedHsic(t.selfSquared, t.squaresSelf, t.trace, t.trace, n);
    return st / Math.sqrt(ss * tt);
  }

  /** ‖C[S,T]‖²_F and, when asked, Σ Q[S,T]; S, T sorted so each row is read forwards. */
  private crossBlock(s: Int32Array, t: Int32Array, withSquares: boolean): { cross: number; squaresCross: number } {
    const { d, gram } = this;
    const q = this.squaresGram;
    const kt = t.length;
    let cross = 0;
    let squaresCross = 0;
    for (let i = 0; i < s.length; i++) {
      const row = s[i] * d;
      let acc = 0;
      for (let j = 0; j < kt; j++) {
        const v = gram[row + t[j]];
        acc += v * v;
      }
      cross += acc;
      if (withSquares && q) {
        let qa = 0;
        for (let j = 0; j < kt; j++) qa += q[row + t[j]];
        squaresCross += qa;
      }
    }
    return { cross, squaresCross: withSquares ? squaresCross : NaN };
  }

  private asPrepared(subset: Int32Array | readonly number[] | PreparedSubset): PreparedSubset {
    if (subset instanceof Int32Array || Array.isArray(subset)) return this.prepare(subset as Int32Array | readonly number[]);
    const p = subset as PreparedSubset;
    // Self terms are only valid for the Gram that made them; recompute for foreign ones.
    return this.prepared.has(p) ? p : this.prepare(p.indices);
  }

  private requireDebiased(variant: CkaVariant): void {
    if (variant !== 'debiased') throw new RangeError(`CKA variant must be 'linear' or 'debiased', got '${String(variant)}'`);
    if (!this.squaresGram) throw new Error('SubsetCka: built without the debiased statistics; build with { debiased: true }');
    if (this.n < 4) throw new RangeError(`SubsetCka: the debiased variant needs at least 4 rows, got ${this.n}`);
  }
}

/**
 * Q = ZᵀZ for Z = (X − 1μᵀ)∘(X − 1μᵀ), d×d Float64Array. Z is formed in float64 and handed
 * to `linalg` as float32; with `split`, Z = Zhi + Zlo (both float32) and the Zlo·Zlo term
 * (relative size 2⁻⁴⁸) is dropped.
 */
async function squaresGramOf(x: FeatureBlock, mean: Float64Array, linalg: Linalg, precision: 'split' | 'float32'): Promise<Float64Array> {
  const { data, n, d } = x;
  const hi = new Float32Array(n * d);
  const lo = precision === 'split' ? new Float32Array(n * d) : undefined;
  for (let i = 0; i < n; i++) {
    const off = i * d;
    for (let j = 0; j < d; j++) {
      const v = data[off + j] - mean[j];
      const z = v * v;
      const h = Math.fround(z);
      hi[off + j] = h;
      if (lo) lo[off + j] = z - h;
    }
  }
  const q = await linalg.gram(hi, n, d);
  if (lo) {
    const c = await linalg.crossProduct(hi, lo, n, d, d);
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) q[a * d + b] += c[a * d + b] + c[b * d + a];
    }
  }
  return q;
}
