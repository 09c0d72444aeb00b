/**
 * The seeded generator behind the synthetic feature cache (private to src/cache).
 *
 * Uniforms: xoshiro128** (Blackman & Vigna, 2018), 32-bit state words, seeded by running
 * splitmix32 over the integer seed, so every seed (including 0) gives a full-period state.
 * Normals: Marsaglia's polar method on pairs of uniforms in (-1, 1) (rejecting points
 * outside the unit disc), both outputs used. Everything is integer or IEEE arithmetic plus
 * Math.log/sqrt, so a seed gives the same stream wherever Node runs (up to the last bit of
 * Math.log, which V8 computes with its own portable implementation).
 */
export class SynthRng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new RangeError(`SynthRng: seed must be an integer, got ${seed}`);
    // splitmix32 over the low and high 32 bits of the seed.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 2 ** 32) | 0, 0x9e3779b9);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator with the given xoshiro128** state words (for checking against reference vectors). */
  static fromState(s0: number, s1: number, s2: number, s3: number): SynthRng {
    const rng = new SynthRng(0);
    rng.s0 = s0 | 0;
    rng.s1 = s1 | 0;
    rng.s2 = s2 | 0;
    rng.s3 = s3 | 0;
    return rng;
  }

  /** Next uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, m) (m ≤ 2^32), by rejection so it is exactly uniform. */
  below(m: number): number {
    const limit = 4294967296 - (4294967296 % m);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % m;
    }
  }

  /** Standard normal N(0, 1) (Marsaglia's polar method: one log and one sqrt per pair, no sin/cos). */
  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }

  /** Fills `out` with independent N(0, scale²) values. */
  fillNormal(out: Float32Array | Float64Array, scale = 1): void {
    for (let i = 0; i < out.length; i++) out[i] = scale * this.normal();
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
