import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectOnnxProviders } from '../../src/backend/onnxProviders.js';

function fakeOrt(listed: { name: string; bundled: boolean }[], cudaStarts: boolean) {
  return {
    listSupportedBackends: () => listed,
    InferenceSession: {
      create: async (_bytes: Uint8Array, o: { executionProviders: string[] }) => {
        if (o.executionProviders.includes('cuda') && !cudaStarts) throw new Error('libcudart.so.12: cannot open shared object file\nmore');
        return { release: async () => {} };
      },
    },
  };
}

test('CUDA chosen only when listed, a device answers and a session starts on it', async () => {
  const listed = [{ name: 'cpu', bundled: true }, { name: 'cuda', bundled: false }];
  const ok = await selectOnnxProviders({ ort: fakeOrt(listed, true), cudaDevice: () => true });
  assert.deepEqual(ok.providers, ['cuda', 'cpu']);
  const noDevice = await selectOnnxProviders({ ort: fakeOrt(listed, true), cudaDevice: () => false });
  assert.deepEqual(noDevice.providers, ['cpu']);
  assert.match(noDevice.reason, /no CUDA device answers/);
  const fails = await selectOnnxProviders({ ort: fakeOrt(listed, false), cudaDevice: () => true });
  assert.deepEqual(fails.providers, ['cpu']);
  assert.equal(fails.reason, 'CUDA provider failed to start (libcudart.so.12: cannot open shared object file)');
  const cpuOnly = await selectOnnxProviders({ ort: fakeOrt([{ name: 'cpu', bundled: true }], true), cudaDevice: () => true });
  assert.deepEqual(cpuOnly.providers, ['cpu']);
  assert.match(cpuOnly.reason, /no CUDA provider/);
});

test('real onnxruntime-node here: cpu is available and always last', async () => {
  const sel = await selectOnnxProviders();
  assert.equal(sel.providers.at(-1), 'cpu');
  assert.ok(sel.available.some((b) => b.name === 'cpu'));
  assert.equal(await selectOnnxProviders(), await selectOnnxProviders()); // cached
});
