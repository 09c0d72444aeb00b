import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectTfBackend } from '../../src/backend/tfBackend.js';
import { UsageError } from '../../src/util/errors.js';

/** A fake TF.js namespace whose backends are the given names. */
function fakeTf(registered: string[], failing: string[] = []) {
  let active = '';
  return {
    getBackend: () => active,
    setBackend: async (name: string) => {
      if (failing.includes(name)) throw new Error(`${name} init exploded`);
      if (!registered.includes(name)) return false;
      active = name;
      return true;
    },
    ready: async () => {},
  };
}

function notInstalled(pkg: string): Error {
  return Object.assign(new Error(`Cannot find package '${pkg}' imported from x.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/** A loader simulating which packages are installed (`present`), broken (`broken`) or missing. */
function loader(present: Record<string, unknown>, broken: string[] = []) {
  const calls: string[] = [];
  const load = async (pkg: string) => {
    calls.push(pkg);
    if (broken.includes(pkg)) throw new Error(`libtensorflow.so: cannot open shared object file`);
    if (pkg in present) return present[pkg];
    throw notInstalled(pkg);
  };
  return { load, calls };
}

test('nothing native installed → wasm, with the reason naming both missing packages, printed once', async () => {
  const core = fakeTf(['wasm', 'cpu']);
  const { load } = loader({ '@tensorflow/tfjs-core': core, '@tensorflow/tfjs-backend-wasm': {}, '@tensorflow/tfjs-backend-cpu': {} });
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const sel = await selectTfBackend({ loader: load, cudaDevice: () => false, log });
  assert.equal(sel.name, 'wasm');
  assert.equal(sel.tfBackend, 'wasm');
  assert.equal(sel.tf, core);
  assert.equal(core.getBackend(), 'wasm');
  assert.equal(sel.reason, 'tfjs-node-gpu not installed; tfjs-node not installed');
  await selectTfBackend({ loader: load, cudaDevice: () => false, log });
  assert.deepEqual(lines, ['backend: wasm (tfjs-node-gpu not installed; tfjs-node not installed)']);
});

test('tfjs-node-gpu installed and a CUDA device answers → tensorflow-gpu using its own tf namespace', async () => {
  const gpuTf = fakeTf(['tensorflow']);
  const { load } = loader({ '@tensorflow/tfjs-node-gpu': gpuTf, '@tensorflow/tfjs-core': fakeTf(['cpu']) });
  const sel = await selectTfBackend({ loader: load, cudaDevice: () => true, log: () => {} });
  assert.equal(sel.name, 'tensorflow-gpu');
  assert.equal(sel.tfBackend, 'tensorflow');
  assert.equal(sel.tf, gpuTf);
  assert.equal(sel.reason, 'CUDA device found');
});

test('tfjs-node-gpu installed but no CUDA device → tfjs-node; the GPU package is never initialised', async () => {
  const nodeTf = fakeTf(['tensorflow']);
  const gpuTf = fakeTf([], ['tensorflow']);
  const { load, calls } = loader({ '@tensorflow/tfjs-node-gpu': gpuTf, '@tensorflow/tfjs-node': nodeTf });
  const isInstalled = (pkg: string) => pkg.startsWith('@tensorflow/tfjs-node');
  const sel = await selectTfBackend({ loader: load, cudaDevice: () => false, isInstalled, log: () => {} });
  assert.ok(!calls.includes('@tensorflow/tfjs-node-gpu'), 'tfjs-node-gpu must not be loaded without a device');
  assert.equal(sel.name, 'tensorflow');
  assert.equal(sel.tf, nodeTf);
  assert.match(sel.reason, /tfjs-node-gpu installed but no CUDA device answers/);
  assert.deepEqual(sel.tried.map((t) => [t.name, t.ok]), [['tensorflow-gpu', false], ['tensorflow', true]]);
});

test('tfjs-node present but failing to load (missing libtensorflow) → falls through to wasm with the error', async () => {
  const core = fakeTf(['wasm']);
  const { load } = loader({ '@tensorflow/tfjs-core': core, '@tensorflow/tfjs-backend-wasm': {} }, ['@tensorflow/tfjs-node']);
  const sel = await selectTfBackend({ loader: load, cudaDevice: () => false, log: () => {} });
  assert.equal(sel.name, 'wasm');
  assert.match(sel.reason, /tfjs-node failed to load: libtensorflow\.so/);
});

test('wasm failing to initialise → cpu', async () => {
  const core = fakeTf(['cpu'], ['wasm']);
  const { load } = loader({ '@tensorflow/tfjs-core': core, '@tensorflow/tfjs-backend-wasm': {}, '@tensorflow/tfjs-backend-cpu': {} });
  const sel = await selectTfBackend({ loader: load, cudaDevice: () => false, log: () => {} });
  assert.equal(sel.name, 'cpu');
  assert.match(sel.reason, /tfjs-backend-wasm loaded but backend 'wasm' failed: wasm init exploded/);
});

test('--backend forces one; an unavailable or unknown forced backend is a clear UsageError', async () => {
  const core = fakeTf(['wasm', 'cpu']);
  const { load, calls } = loader({ '@tensorflow/tfjs-core': core, '@tensorflow/tfjs-backend-wasm': {}, '@tensorflow/tfjs-backend-cpu': {} });
  const sel = await selectTfBackend({ force: 'cpu', loader: load, cudaDevice: () => false, log: () => {} });
  assert.equal(sel.name, 'cpu');
  assert.match(sel.reason, /forced by --backend/);
  assert.ok(!calls.includes('@tensorflow/tfjs-node'));
  await assert.rejects(selectTfBackend({ force: 'node', loader: load, cudaDevice: () => false, log: () => {} }), (err: any) => err instanceof UsageError && /backend node: not available here \(tfjs-node not installed\)/.test(err.message));
  await assert.rejects(selectTfBackend({ force: 'gpu', loader: load, cudaDevice: () => false, log: () => {} }), /backend gpu: not available here \(tfjs-node-gpu not installed\)/);
  await assert.rejects(selectTfBackend({ force: 'metal', loader: load, log: () => {} }), /unknown TF.js backend 'metal' \(expected auto, tensorflow-gpu, tensorflow, wasm, cpu\)/);
});

test('no backend at all → an error listing every attempt', async () => {
  const { load } = loader({});
  await assert.rejects(selectTfBackend({ loader: load, cudaDevice: () => false, log: () => {} }), /no TF.js backend could be started \(tensorflow-gpu: tfjs-node-gpu not installed; .*cpu: tfjs-backend-cpu not installed\)/);
});

test('real packages on this machine: wasm is chosen (tfjs-node is not installable here)', async () => {
  const lines: string[] = [];
  const sel = await selectTfBackend({ cudaDevice: () => false, log: (l) => lines.push(l) });
  assert.ok(['tensorflow', 'wasm'].includes(sel.name));
  assert.equal(sel.tf.getBackend(), sel.tfBackend);
  assert.equal(lines.length, 1);
  assert.match(lines[0], /^backend: (wasm|tensorflow) \(/);
});
