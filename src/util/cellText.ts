/** How {@link cellText} writes numbers and lists. */
export interface CellTextOptions {
  /** Non-integers: `fixed` (toFixed(digits)) or `precision` (digits significant digits, trailing zeros dropped). */
  numbers: 'fixed' | 'precision';
  digits: number;
  /** Text of NaN / ±Infinity; default String(v). */
  nonFinite?: string;
  /** Lists: `length` ("[12]") or `preview` (the first six entries at 3 significant digits, then "… (count)"). */
  lists: 'length' | 'preview';
  /** Plain objects as JSON (otherwise String(v)). */
  objectsAsJson?: boolean;
}

/** One table cell as text: '' for null/undefined, integers as they are, other numbers and lists as `opts` says. */
export function cellText(v: unknown, opts: CellTextOptions): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') {
    if (Number.isInteger(v)) return String(v);
    if (!Number.isFinite(v)) return opts.nonFinite ?? String(v);
    return opts.numbers === 'fixed' ? v.toFixed(opts.digits) : String(Number(v.toPrecision(opts.digits)));
  }
  if (ArrayBuffer.isView(v) || Array.isArray(v)) {
    const list = v as ArrayLike<unknown>;
    if (opts.lists === 'length') return `[${list.length}]`;
    const all = Array.from(list);
    const shown = all.slice(0, 6).map((x) => cellText(x, { ...opts, digits: 3 })).join(', ');
    return `[${shown}${all.length > 6 ? `, … (${all.length})` : ''}]`;
  }
  if (opts.objectsAsJson && typeof v === 'object') return JSON.stringify(v);
  return String(v);
}
