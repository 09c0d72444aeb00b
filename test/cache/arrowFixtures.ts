// Builds Arrow tables with apache-arrow's own API (independent of the cache writer), for interop
// and wrong-schema tests.
import { Field, FixedSizeList, Float32, Int32, makeData, RecordBatch, Schema, Struct, Table, type DataType } from 'apache-arrow';
import { completeCacheMeta, encodeCacheMeta } from '../../src/cache/meta.js';

export const KEY = 'diffused_redundancy';

/** Cache metadata JSON for n rows of width d, as our writer would store it. */
export function metaJson(n: number, d: number, over: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...JSON.parse(encodeCacheMeta(completeCacheMeta({ modelId: 'arrow-js' }, d, n))), ...over });
}

/** A record batch with the given columns (Data built directly from typed arrays). */
export function batchOf(schema: Schema, columns: any[], n: number): RecordBatch {
  const struct = makeData({ type: new Struct(schema.fields), length: n, nullCount: 0, children: columns });
  return new RecordBatch(schema, struct);
}

export function listData(d: number, n: number, values: Float32Array, childType: DataType = new Float32()) {
  const type = new FixedSizeList(d, new Field('item', childType, false));
  return makeData({ type, length: n, nullCount: 0, child: makeData({ type: childType, length: n * d, nullCount: 0, data: values } as any) } as any);
}

export function int32Data(values: Int32Array) {
  return makeData({ type: new Int32(), length: values.length, nullCount: 0, data: values });
}

/** A table with our schema (features, label, index) and metadata, in the given batch sizes. */
export function cacheLikeTable(d: number, batchSizes: number[], json?: string): { table: Table; features: Float32Array; labels: Int32Array; index: Int32Array } {
  const n = batchSizes.reduce((a, b) => a + b, 0);
  const features = new Float32Array(n * d).map((_, k) => Math.sin(k) * 3);
  const labels = new Int32Array(n).map((_, i) => (i * 7) % 4);
  const index = new Int32Array(n).map((_, i) => 10 * i);
  const schema = new Schema(
    [
      new Field('features', new FixedSizeList(d, new Field('item', new Float32(), false)), false),
      new Field('label', new Int32(), false),
      new Field('index', new Int32(), false),
    ],
    new Map([[KEY, json ?? metaJson(n, d)]]),
  );
  const batches: RecordBatch[] = [];
  let s = 0;
  for (const m of batchSizes) {
    batches.push(batchOf(schema, [listData(d, m, features.slice(s * d, (s + m) * d)), int32Data(labels.slice(s, s + m)), int32Data(index.slice(s, s + m))], m));
    s += m;
  }
  return { table: new Table(schema, batches), features, labels, index };
}
