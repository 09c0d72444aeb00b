/**
 * The package's own seeded generator: xoshiro128** 1.1 (Blackman & Vigna, 2018) on a
 * 128-bit state that SplitMix64 (Steele, Lea & Flood, 2014) expands from the seed.
 *
 * Why these two: xoshiro128** passes BigCrush, needs only 32-bit integer arithmetic
 * (`Math.imul`, shifts) so every JavaScript engine produces the same bits, and is fast.
 * SplitMix64 is the seeding its authors recommend; it turns nearby seeds (1, 2, 3 …)
 * into unrelated states. Seeding uses BigInt once; drawing never does.
 *
 * Exactness: `nextUint32`, `nextFloat`, `below` and the permutation helpers are
 * bit-identical on every machine. `nextNormal` goes through `Math.log`/`Math.cos`, which
 * Node (V8's fdlibm port) computes identically on every platform, but other engines may
 * differ in the last bit.
 */
export class SeededRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spareNormal: number | undefined;

  /**
   * @param seed any safe integer (negative values wrap modulo 2⁶⁴, as in C).
   */
  constructor(readonly seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`SeededRng: seed must be a safe integer, got ${seed}`);
    let state = BigInt.asUintN(64, BigInt(seed));
    const words: number[] = [];
    for (let i = 0; i < 2; i++) {
      state = BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n);
      const out = splitMix64Finalize(state);
      words.push(Number(out & 0xffffffffn), Number(out >> 32n));
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    // The all-zero state is the one fixed point of xoshiro; SplitMix64 cannot produce it
    // for two consecutive outputs, but guard anyway so the invariant is local.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /**
   * A generator whose state is set directly (the reference implementation's test
   * vectors start from such states). Words are taken modulo 2³².
   */
  static fromState(s0: number, s1: number, s2: number, s3: number): SeededRng {
    const rng = new SeededRng(0);
    rng.s0 = s0 >>> 0;
    rng.s1 = s1 >>> 0;
    rng.s2 = s2 >>> 0;
    rng.s3 = s3 >>> 0;
    if ((rng.s0 | rng.s1 | rng.s2 | rng.s3) === 0) throw new RangeError('SeededRng.fromState: the all-zero state is not allowed');
    return rng;
  }

  /** Next 32 random bits as an unsigned integer in [0, 2³²). */
  nextUint32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two 32-bit draws: 27 high + 26 low bits). */
  nextFloat(): number {
    const hi = this.nextUint32() >>> 5;
    const lo = this.nextUint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Uniform integer in [0, n) for integer 1 ≤ n ≤ 2³², without modulo bias: draws below
   * the largest multiple of n that fits in 32 bits are accepted, the rest redrawn
   * (fewer than one redraw in 2³²/n on average).
   */
  below(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > 4294967296) throw new RangeError(`SeededRng.below: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /**
   * Standard normal by the Box–Muller transform: two uniforms give two independent
   * normals; the second is kept for the next call.
   */
  nextNormal(): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return z;
    }
    const u1 = 1 - this.nextFloat(); // in (0, 1], so the log is finite
    const u2 = this.nextFloat();
    const r = Math.sqrt(-2 * Math.log(u1));
    const angle = 2 * Math.PI * u2;
    this.spareNormal = r * Math.sin(angle);
    return r * Math.cos(angle);
  }

  /**
   * The first `k` entries of a uniformly random permutation of 0..n-1, by the forward
   * Fisher–Yates shuffle stopped after k steps (position i gets a uniform pick among the
   * n − i entries not yet placed). A prefix of the answer for k is the answer for any
   * smaller k with the same generator state: subsets of one seed are nested.
   */
  samplePrefix(n: number, k: number): Int32Array {
    if (!Number.isInteger(n) || n < 0 || n > 2147483647) throw new RangeError(`SeededRng.samplePrefix: bad n=${n}`);
    if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`SeededRng.samplePrefix: k must be an integer in [0, ${n}], got ${k}`);
    const perm = new Int32Array(n);
    for (let i = 0; i < n; i++) perm[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.below(n - i);
      const t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
    return perm.slice(0, k);
  }

  /** A uniformly random permutation of 0..n-1 (forward Fisher–Yates). */
  permutation(n: number): Int32Array {
    return this.samplePrefix(n, n);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** SplitMix64's output function (the "mix64" variant 13 finaliser), on a 64-bit BigInt. */
function splitMix64Finalize(z: bigint): bigint {
  z = BigInt.asUintN(64, (z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n);
  z = BigInt.asUintN(64, (z ^ (z >> 27n)) * 0x94d049bb133111ebn);
  return z ^ (z >> 31n);
}

/**
 * The first output of SplitMix64 started from `state` (exposed so tests can check the
 * seeding against the published reference value SplitMix64(0) = 0xE220A8397B1DCDAF).
 */
export function splitMix64First(state: bigint): bigint {
  return splitMix64Finalize(BigInt.asUintN(64, state + 0x9e3779b97f4a7c15n));
}
