import * as aq from 'arquero';
import { Bool, Dictionary, Field, Float64, Int32, List, RecordBatch, Schema, Table, Utf8, tableToIPC, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { readFileSync } from 'node:fs';
import { writeFileAtomicSync } from '../util/atomicWrite.js';
import { requireFile } from '../util/fsErrors.js';
import { FileFormatError } from '../util/errors.js';

/** Arrow type for one column, chosen from its values (nulls ignored). */
function columnType(name: string, values: readonly unknown[]): DataType {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (!present.length) return new Float64();
  if (present.every((v) => typeof v === 'number')) return new Float64();
  if (present.every((v) => typeof v === 'boolean')) return new Bool();
  // Dictionary-encoded: a results table repeats its model, task, layer and config strings in every row.
  if (present.every((v) => typeof v === 'string')) return new Dictionary(new Utf8(), new Int32());
  if (present.every((v) => Array.isArray(v) || ArrayBuffer.isView(v))) return new List(new Field('item', new Float64(), true));
  throw new TypeError(`Arrow export: column '${name}' mixes value kinds (${[...new Set(present.map((v) => typeof v))].join(', ')})`);
}

/**
 * Serialises an arquero table as Arrow IPC file bytes with stable types: numbers → Float64 (so a
 * fraction column never turns into integers), strings → Dictionary<Int32, Utf8> (the same values, each
 * distinct string stored once), booleans → Bool, numeric arrays →
 * List<Float64>. Objects are not allowed (store JSON strings instead).
 */
export function tableToArrowBytes(table: aq.ColumnTable, metadata?: Map<string, string>): Uint8Array {
  const columns: Record<string, Vector> = {};
  for (const name of table.columnNames()) {
    const values = Array.from(table.array(name) as ArrayLike<unknown>);
    const type = columnType(name, values);
    const data = type instanceof List
      ? values.map((v) => (v == null ? null : Array.from(v as ArrayLike<number>, Number)))
      : values.map((v) => (v === undefined ? null : v));
    columns[name] = vectorFromArray(data as any[], type as any) as Vector;
  }
  const arrow = table.columnNames().length ? new Table(columns) : new Table({});
  if (!metadata?.size) return tableToIPC(arrow, 'file');
  // Schema-level metadata (e.g. a sweep's input identity) travels in the header and footer.
  const schema = new Schema(arrow.schema.fields, metadata);
  return tableToIPC(new Table(schema, arrow.batches.map((b) => new RecordBatch(schema, b.data))), 'file');
}

/** Writes an arquero table as an Arrow IPC file, atomically (see {@link tableToArrowBytes} for types), with optional schema metadata. */
export function writeArrowTable(path: string, table: aq.ColumnTable, metadata?: Map<string, string>): void {
  writeFileAtomicSync(path, tableToArrowBytes(table, metadata));
}

/**
 * Writes an arquero table as CSV, atomically. List columns become `;`-separated numbers in one
 * field so the file stays one row per table row.
 */
export function writeCsvTable(path: string, table: aq.ColumnTable): void {
  const names = table.columnNames();
  const flat = aq.table(Object.fromEntries(names.map((n) => {
    const values = Array.from(table.array(n) as ArrayLike<unknown>);
    const isList = values.some((v) => Array.isArray(v) || ArrayBuffer.isView(v));
    return [n, isList ? values.map((v) => (v == null ? null : Array.from(v as ArrayLike<number>).join(';'))) : values];
  })), names);
  writeFileAtomicSync(path, aq.toCSV(flat));
}

/** Reads an Arrow IPC file into an arquero table; list columns come back as Float64Array values. */
export function readArrowTable(path: string): aq.ColumnTable {
  requireFile(path);
  const bytes = readFileSync(path);
  try {
    return aq.fromArrow(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch (err: any) {
    throw new FileFormatError(path, `not a readable Arrow IPC file (${err?.message ?? String(err)})`);
  }
}
