import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeNpyHeader, NpyWriter, readNpy, readNpyFeatures, readNpyHeader, readNpyLabels, writeNpy } from '../../src/cache/npy.js';
import { packageRoot } from '../../src/util/paths.js';
import { tempDir } from './tmpdir.js';

// Fixtures written by numpy's np.save: test/fixtures/cache/make_npy_fixtures.py.
const fx = (name: string) => join(packageRoot(), 'test', 'fixtures', 'cache', name);
const dir = tempDir();

test('writeNpy produces the same bytes as numpy np.save (float32 3×4, int32 labels)', async () => {
  const f4 = new Float32Array(12).map((_, i) => i / 4);
  f4[11] = -0;
  await writeNpy(join(dir, 'f4.npy'), f4, [3, 4]);
  assert.deepEqual(readFileSync(join(dir, 'f4.npy')), readFileSync(fx('f4_3x4.npy')));
  await writeNpy(join(dir, 'i4.npy'), Int32Array.of(0, 1, 2, 1, 0));
  assert.deepEqual(readFileSync(join(dir, 'i4.npy')), readFileSync(fx('i4_labels.npy')));
});

test('headers are padded so the data starts on a 64-byte boundary; huge shapes switch to version 2.0', () => {
  for (const shape of [[0], [5], [3, 4], [50000, 2048], [123456789, 7]]) {
    const h = encodeNpyHeader('<f4', shape);
    assert.equal(h.length % 64, 0, `shape ${shape}`);
    assert.equal(h[h.length - 1], 0x0a);
    assert.equal(h[6], 1);
  }
});

test('readNpy reads numpy-written float32 (v1 and v2 headers), float16 and int32/int64 arrays', async () => {
  const want = Array.from({ length: 12 }, (_, i) => i / 4);
  want[11] = -0;
  for (const name of ['f4_3x4.npy', 'f4_3x4_v2.npy']) {
    const a = await readNpy(fx(name));
    assert.equal(a.descr, '<f4');
    assert.deepEqual(a.shape, [3, 4]);
    assert.deepEqual(Array.from(a.data), want);
    assert.ok(Object.is(a.data[11], -0));
  }
  assert.deepEqual((await readNpyHeader(fx('f4_3x4_v2.npy'))).version, [2, 0]);
  const f2 = await readNpyFeatures(fx('f2_2x4.npy'));
  assert.equal(f2.n, 2);
  assert.equal(f2.d, 4);
  // Bit patterns 0x3C00 0xC000 0x0001 0x03FF 0x8000 0x7C00 0xFC00 0x7BFF, converted by hand.
  assert.deepEqual(Array.from(f2.data), [1, -2, 2 ** -24, 1023 * 2 ** -24, -0, Infinity, -Infinity, 65504]);
  assert.deepEqual(Array.from(await readNpyLabels(fx('i4_labels.npy'))), [0, 1, 2, 1, 0]);
  assert.deepEqual(Array.from(await readNpyLabels(fx('i8_labels.npy'))), [3, 1, 2147483647, -2147483648, 0]);
});

test('wrong dtypes, byte order, order and ndim fail with the file and what was expected', async () => {
  await assert.rejects(readNpyFeatures(fx('f4_big_endian.npy')), /f4_big_endian\.npy: big-endian dtype '>f4' is not supported; expected little-endian float32/);
  await assert.rejects(readNpyFeatures(fx('f4_fortran.npy')), /f4_fortran\.npy: fortran_order is True; expected a C-order array/);
  await assert.rejects(readNpyFeatures(fx('f8_2x3.npy')), /f8_2x3\.npy: features have dtype '<f8'; expected float32 \('<f4'\) or float16 \('<f2'\)/);
  await assert.rejects(readNpyFeatures(fx('f4_1d.npy')), /f4_1d\.npy: features have shape \(5,\) \(ndim 1\); expected a 2-D array \(n, d\)/);
  await assert.rejects(readNpyFeatures(fx('i4_labels.npy')), /features have dtype '<i4'; expected float32/);
  await assert.rejects(readNpyLabels(fx('f4_3x4.npy')), /f4_3x4\.npy: labels have dtype '<f4'; expected int32 \('<i4'\) or int64 \('<i8'\)/);
  await assert.rejects(readNpyLabels(fx('i4_2d.npy')), /i4_2d\.npy: labels have shape \(2, 2\) \(ndim 2\); expected a 1-D array \(n,\)/);
  await assert.rejects(readNpyLabels(fx('i8_too_big.npy')), /i8_too_big\.npy: int64 value 2147483648 at position 1 does not fit int32/);
  await assert.rejects(readNpy(fx('structured.npy')), /structured\.npy: structured \(record\) dtype is not supported/);
  await assert.rejects(readNpy(fx('f8_2x3.npy')), /unsupported dtype '<f8'/);
});

test('not-npy, truncated and missing files are reported', async () => {
  writeFileSync(join(dir, 'text.npy'), 'just text');
  await assert.rejects(readNpy(join(dir, 'text.npy')), /text\.npy: not a \.npy file \(missing the \\x93NUMPY magic\)/);
  const bytes = readFileSync(fx('f4_3x4.npy'));
  writeFileSync(join(dir, 'short.npy'), bytes.subarray(0, bytes.length - 4));
  await assert.rejects(readNpy(join(dir, 'short.npy')), /short\.npy: truncated: shape \(3, 4\) of <f4 needs 48 data bytes, the file has 44/);
  writeFileSync(join(dir, 'long.npy'), Buffer.concat([bytes, Buffer.alloc(4)]));
  await assert.rejects(readNpy(join(dir, 'long.npy')), /long\.npy: 4 unexpected bytes after the \(3, 4\) <f4 array/);
  await assert.rejects(readNpy(join(dir, 'nope.npy')), /nope\.npy: cannot read \(no such file or folder/);
});

test('NpyWriter streams chunks and refuses the wrong count or type', async () => {
  const p = join(dir, 'chunks.npy');
  const w = await NpyWriter.open(p, '<f4', [2, 3]);
  await w.write(Float32Array.of(1, 2));
  await w.write(Float32Array.of(3, 4, 5, 6));
  await w.close();
  assert.deepEqual(Array.from((await readNpy(p)).data), [1, 2, 3, 4, 5, 6]);
  const w2 = await NpyWriter.open(join(dir, 'few.npy'), '<i4', [3]);
  await assert.rejects(w2.write(Float32Array.of(1) as any), /chunk type does not match dtype <i4/);
  await w2.write(Int32Array.of(1));
  await assert.rejects(w2.close(), /wrote 1 values, shape \(3,\) needs 3/);
  await assert.rejects(writeNpy(join(dir, 'x.npy'), new Float32Array(5), [2, 3]), /5 values do not fill shape \(2, 3\)/);
});
