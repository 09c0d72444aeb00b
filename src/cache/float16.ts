/**
 * IEEE 754 binary16 → binary32, exactly: every half-precision value (normal, subnormal,
 * ±0, ±inf, NaN) is representable in float32, so no rounding happens.
 * Layout: sign (1 bit), exponent (5 bits, bias 15), mantissa (10 bits).
 */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24; // subnormal: 0.m × 2^-14
  if (exponent === 0x1f) return mantissa ? NaN : sign * Infinity;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

let table: Float32Array | undefined;

/** All 65,536 half values as float32, built once (256 KiB) so bulk conversion is a lookup. */
function halfTable(): Float32Array {
  if (!table) {
    table = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) table[b] = float16BitsToFloat32(b);
  }
  return table;
}

/** Converts `src` half-precision bit patterns into `dst` float32 values (same length). */
export function float16ArrayToFloat32(src: Uint16Array, dst: Float32Array = new Float32Array(src.length)): Float32Array {
  if (dst.length < src.length) throw new RangeError(`float16ArrayToFloat32: destination holds ${dst.length} values, need ${src.length}`);
  const t = halfTable();
  for (let i = 0; i < src.length; i++) dst[i] = t[src[i]];
  return dst;
}
