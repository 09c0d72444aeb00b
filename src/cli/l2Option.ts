import { PROBE_DEFAULTS, checkL2Setting, type L2Setting } from '../probe/defaults.js';

/**
 * Parses the CLI form of `--l2`: `auto`, one number, or a comma-separated grid. Throws a
 * RangeError naming `--l2` on anything else (empty, negative, non-finite, not a number).
 */
export function parseL2Option(text: string | undefined): L2Setting {
  if (text === undefined) return PROBE_DEFAULTS.l2;
  const t = text.trim();
  if (t === 'auto') return 'auto';
  if (t === '') throw new RangeError('--l2: expected auto, a number or a comma-separated list of numbers, got an empty value');
  const parts = t.split(',').map((p) => p.trim());
  const values = parts.map((p) => {
    const v = p === '' ? NaN : Number(p);
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`--l2: '${p}' is not a finite number ≥ 0 (expected auto, a number or a comma-separated list)`);
    return v;
  });
  return values.length === 1 ? values[0] : checkL2Setting(values, '--l2');
}
