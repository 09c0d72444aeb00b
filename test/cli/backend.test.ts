import { getLinalg } from '../../src/linalg/select.js';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { main } from '../../src/cli/main.js';

async function run(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await main(argv, (s) => { out += s; });
  return { code, out };
}

test('dr backend --json reports the TF.js backend, ONNX providers and the chosen Linalg', async () => {
  const { code, out } = await run(['backend', '--json']);
  assert.equal(code, 0);
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 1);
  const r = JSON.parse(lines[0]);
  assert.ok(['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'].includes(r.tf.name));
  assert.equal(typeof r.tf.reason, 'string');
  assert.equal(r.onnx.providers.at(-1), 'cpu');
  assert.ok(r.candidates.some((c: any) => c.name === r.linalg.name && c.available));
  assert.ok(r.candidates.find((c: any) => c.name === 'reference').available);
});

test('dr backend --measure times every available Linalg with a small matrix', async () => {
  const { code, out } = await run(['backend', '--measure', '--rows', '300', '--cols', '24', '--backend', 'cpu', '--json']);
  assert.equal(code, 0);
  const r = JSON.parse(out.trim().split('\n').at(-1)!);
  assert.equal(r.tf.name, 'cpu');
  const names = r.measure.results.map((m: any) => m.name);
  assert.ok(names.includes('reference') && names.includes('typescript'));
  for (const m of r.measure.results) {
    assert.ok(m.gflops > 0);
    assert.ok(m.relError < 1e-5, `${m.name} ${m.relError}`);
  }
});

test('dr backend human output and argument errors', async () => {
  const { code, out } = await run(['backend', '--backend', 'wasm']);
  assert.equal(code, 0);
  assert.match(out, /^TF\.js backend: wasm \(forced by --backend/m);
  assert.match(out, /^Linalg: \S+ \(/m);
  // The library's own default accumulates in float64, whatever the fastest backend is.
  const library = /^Library default \(float64 products, for calls without a linalg\): (\S+)$/m.exec(out);
  assert.ok(library, out);
  const chosen = await getLinalg(library[1]);
  assert.equal(chosen.precision, 'float64');
  assert.equal((await run(['backend', '--backend', 'metal'])).code, 2);
  assert.equal((await run(['backend', '--measure', '--rows', '0'])).code, 2);
});
