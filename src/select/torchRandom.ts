/**
 * Bit-exact replicas of PyTorch's CPU random draws that the paper's code made, so a user
 * can probe the very neuron subsets of the original runs.
 *
 * What PyTorch does (read from ATen: `CPUGeneratorImpl`, `core/MT19937RNGEngine.h`,
 * `native/TensorFactories.cpp` `randperm_cpu`; checked against torch 1.13 output in
 * test/fixtures/select/torch_randperm.json):
 * - `torch.manual_seed(s)` re-seeds the default CPU generator's MT19937 with the classic
 *   `init_genrand` recurrence on the low 32 bits of s taken as an unsigned 64-bit integer
 *   (so s, s + 2³² and, for s = −1, 2³² − 1 give the same stream).
 * - `torch.randperm(n)` (CPU, n < 2³²/20, which covers every layer width) fills 0..n-1 and
 *   runs a forward Fisher–Yates: for i = 0..n-2, z = random() mod (n − i), swap(i, i+z),
 *   where random() is one 32-bit MT19937 output. The modulo is slightly biased; we keep
 *   it because exactness with PyTorch is the point. Larger n switch to a 64-bit
 *   inside-out shuffle in newer versions; we refuse such n rather than guess.
 * - `torch.rand(...)` in float32 takes one 32-bit output per value and keeps its low 24
 *   bits: (u & 0xFFFFFF) · 2⁻²⁴.
 */
export class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** Seeds like `torch.manual_seed(seed)`: any safe integer, reduced modulo 2³². */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Mt19937: seed must be a safe integer, got ${seed}`);
    const s = ((seed % 4294967296) + 4294967296) % 4294967296;
    const mt = this.mt;
    mt[0] = s;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  /** The next 32-bit output, in [0, 2³²). */
  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      let next = mt[(i + 397) % 624] ^ (y >>> 1);
      if (y & 1) next ^= 0x9908b0df;
      mt[i] = next;
    }
    this.index = 0;
  }
}

/** Largest n for which PyTorch's CPU randperm uses the 32-bit path replicated here. */
export const TORCH_RANDPERM_MAX_N = Math.floor(4294967295 / 20) - 1;

/**
 * The first `k` entries of `torch.manual_seed(seed); torch.randperm(n)` on CPU (default
 * k = n), as an Int32Array in PyTorch's order. Only k swaps are made: later swaps never
 * move entries already placed, so the prefix is exact.
 */
export function torchRandperm(n: number, seed: number, k = n): Int32Array {
  if (!Number.isInteger(n) || n < 0 || n > TORCH_RANDPERM_MAX_N) {
    throw new RangeError(`torchRandperm: n must be an integer in [0, ${TORCH_RANDPERM_MAX_N}], got ${n}`);
  }
  if (!Number.isInteger(k) || k < 0 || k > n) throw new RangeError(`torchRandperm: k must be an integer in [0, ${n}], got ${k}`);
  const gen = new Mt19937(seed);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const steps = Math.min(k, n - 1);
  for (let i = 0; i < steps; i++) {
    const z = gen.nextUint32() % (n - i);
    const t = perm[i];
    perm[i] = perm[i + z];
    perm[i + z] = t;
  }
  return perm.slice(0, k);
}

/**
 * `torch.manual_seed(seed); torch.rand(count)` in float32 on CPU, row-major for any
 * shape with `count` elements (e.g. `torch.rand(d, d)` is `torchRand(d * d, seed)`).
 */
export function torchRand(count: number, seed: number): Float32Array {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`torchRand: count must be a non-negative integer, got ${count}`);
  const gen = new Mt19937(seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (gen.nextUint32() & 0xffffff) / 16777216;
  return out;
}
