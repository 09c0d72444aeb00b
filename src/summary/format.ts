import type * as aq from 'arquero';

function cell(v: unknown, digits: number): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Number.isFinite(v) ? v.toFixed(digits) : String(v);
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${(v as ArrayLike<number>).length} values]`;
  return String(v);
}

/**
 * Renders a table as aligned plain-text lines (header, rule, rows) for terminal output;
 * non-integer numbers get `digits` decimals, list cells show their length.
 */
export function formatTableText(table: aq.ColumnTable, opts: { digits?: number; columns?: readonly string[] } = {}): string[] {
  const digits = opts.digits ?? 4;
  const names = opts.columns ? [...opts.columns] : table.columnNames();
  const rows = (table.objects() as Record<string, unknown>[]).map((r) => names.map((n) => cell(r[n], digits)));
  const widths = names.map((n, j) => Math.max(n.length, ...rows.map((r) => r[j].length)));
  const line = (cells: string[]) => cells.map((c, j) => c.padEnd(widths[j])).join('  ').trimEnd();
  return [line(names), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}
