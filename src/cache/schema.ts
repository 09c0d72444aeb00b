import { DataType, Field, FixedSizeList, Float32, Int32, Precision, Schema, Type } from 'apache-arrow';
import { FileFormatError } from '../util/errors.js';
import { CACHE_METADATA_KEY } from './meta.js';

/** Column names of a feature cache, in file order. */
export const FEATURE_COLUMN = 'features';
export const LABEL_COLUMN = 'label';
export const INDEX_COLUMN = 'index';

/**
 * The Arrow schema of a feature cache with `d` neurons: `features` FixedSizeList<Float32>[d],
 * `label` Int32, `index` Int32 (row in the source split), all non-nullable, plus the JSON
 * metadata text under {@link CACHE_METADATA_KEY}.
 */
export function featureCacheSchema(d: number, metadataJson: string): Schema {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`feature cache: d must be a positive integer, got ${d}`);
  return new Schema(
    [
      new Field(FEATURE_COLUMN, new FixedSizeList(d, new Field('item', new Float32(), false)), false),
      new Field(LABEL_COLUMN, new Int32(), false),
      new Field(INDEX_COLUMN, new Int32(), false),
    ],
    new Map([[CACHE_METADATA_KEY, metadataJson]]),
  );
}

function describe(type: DataType): string {
  return String(type);
}

function isInt32(type: DataType): boolean {
  return DataType.isInt(type) && type.bitWidth === 32 && type.isSigned;
}

/**
 * Checks that `schema` (read from `file`) is a feature-cache schema: exactly the three columns
 * `features` FixedSizeList<Float32>[d], `label` Int32, `index` Int32 in that order.
 * Returns d (the list size). Throws a {@link FileFormatError} naming the column otherwise.
 */
export function checkFeatureCacheSchema(file: string, schema: Schema): number {
  const names = schema.fields.map((f) => f.name);
  for (const want of [FEATURE_COLUMN, LABEL_COLUMN, INDEX_COLUMN]) {
    if (!names.includes(want)) {
      throw new FileFormatError(file, `wrong schema: missing column '${want}' (columns: ${names.join(', ') || 'none'}; expected features, label, index)`);
    }
  }
  if (names.length !== 3 || names[0] !== FEATURE_COLUMN || names[1] !== LABEL_COLUMN || names[2] !== INDEX_COLUMN) {
    throw new FileFormatError(file, `wrong schema: columns are ${names.join(', ')}; expected exactly features, label, index in that order`);
  }
  const [features, label, index] = schema.fields;
  const ft = features.type;
  if (!DataType.isFixedSizeList(ft)) {
    throw new FileFormatError(file, `wrong schema: column 'features' has type ${describe(ft)}; expected FixedSizeList<Float32>[d]`);
  }
  const child = ft.children[0]?.type;
  if (!child || child.typeId !== Type.Float || (child as Float32).precision !== Precision.SINGLE) {
    throw new FileFormatError(file, `wrong schema: column 'features' holds ${child ? describe(child) : 'nothing'}; expected Float32 values`);
  }
  if (!isInt32(label.type)) throw new FileFormatError(file, `wrong schema: column 'label' has type ${describe(label.type)}; expected Int32`);
  if (!isInt32(index.type)) throw new FileFormatError(file, `wrong schema: column 'index' has type ${describe(index.type)}; expected Int32`);
  if (!(ft.listSize >= 1)) throw new FileFormatError(file, `wrong schema: 'features' list size ${ft.listSize}; expected d >= 1`);
  return ft.listSize;
}
