import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseLinalg, defaultLinalg, getLinalg, LINALG_NAMES, LINALG_PREFERENCE, probeLinalgs, typescriptLinalg } from '../../src/linalg/select.js';
import { referenceLinalg } from '../../src/linalg/reference.js';

test('getLinalg returns one shared instance per name and rejects unknown names', async () => {
  const a = await getLinalg('typescript');
  assert.equal(a, typescriptLinalg);
  assert.equal(await getLinalg('reference'), referenceLinalg);
  assert.equal(await getLinalg('onnx'), await getLinalg('onnx'));
  await assert.rejects(getLinalg('blas'), /unknown linalg 'blas' \(known: onnx, onnx-f64, wasm, workers, typescript, reference\)/);
});

test('defaultLinalg picks the first available of the measured preference order', async () => {
  const { linalg, reason } = await chooseLinalg();
  assert.equal(await defaultLinalg(), linalg);
  const probed = await probeLinalgs(LINALG_PREFERENCE);
  const firstAvailable = probed.find((p) => p.available)?.name;
  if (process.env.DR_LINALG) assert.match(reason, /forced by DR_LINALG/);
  else assert.equal(linalg.name, firstAvailable);
  assert.ok(reason.length > 0);
  assert.deepEqual([...LINALG_NAMES].sort(), ['onnx', 'onnx-f64', 'reference', 'typescript', 'wasm', 'workers']);
  const w = await getLinalg('workers');
  await w.dispose?.();
});
