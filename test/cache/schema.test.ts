import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Field, FixedSizeList, Float32, Float64, Int32, Int64, Schema } from 'apache-arrow';
import { checkFeatureCacheSchema, featureCacheSchema } from '../../src/cache/schema.js';

test('featureCacheSchema has features FixedSizeList<Float32>[d], label Int32, index Int32 and the metadata', () => {
  const s = featureCacheSchema(7, '{"x":1}');
  assert.deepEqual(s.fields.map((f) => [f.name, String(f.type)]), [
    ['features', 'FixedSizeList[7]<Float32>'],
    ['label', 'Int32'],
    ['index', 'Int32'],
  ]);
  assert.equal(s.metadata.get('diffused_redundancy'), '{"x":1}');
  assert.equal(checkFeatureCacheSchema('f', s), 7);
  assert.throws(() => featureCacheSchema(0, '{}'), /d must be a positive integer/);
});

const list = (d: number, t: any = new Float32()) => new FixedSizeList(d, new Field('item', t));

test('checkFeatureCacheSchema names the file and the wrong column', () => {
  const f = 'x/wrong.arrow';
  const make = (...fields: Field[]) => new Schema(fields);
  assert.throws(() => checkFeatureCacheSchema(f, make(new Field('features', list(3)), new Field('label', new Int32()))), /x\/wrong\.arrow: wrong schema: missing column 'index'/);
  assert.throws(
    () => checkFeatureCacheSchema(f, make(new Field('features', new Float32()), new Field('label', new Int32()), new Field('index', new Int32()))),
    /column 'features' has type Float32; expected FixedSizeList<Float32>\[d\]/,
  );
  assert.throws(
    () => checkFeatureCacheSchema(f, make(new Field('features', list(3, new Float64())), new Field('label', new Int32()), new Field('index', new Int32()))),
    /column 'features' holds Float64; expected Float32 values/,
  );
  assert.throws(
    () => checkFeatureCacheSchema(f, make(new Field('features', list(3)), new Field('label', new Int64()), new Field('index', new Int32()))),
    /column 'label' has type Int64; expected Int32/,
  );
  assert.throws(
    () => checkFeatureCacheSchema(f, make(new Field('label', new Int32()), new Field('features', list(3)), new Field('index', new Int32()))),
    /expected exactly features, label, index in that order/,
  );
});
