// The softmax probe reaches scikit-learn's optimum on a near-separable full-layer fit (issue 9):
// the scale-free stopping rule must not quit while the loss is near zero. Runs scikit-learn through
// /usr/bin/python3 (test/fixtures/probe/sklearn_peer.py); skipped with a message without numpy/sklearn.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeFeatures } from '../../src/cache/synth.js';
import { writeNpy } from '../../src/cache/npy.js';
import { fitSoftmaxProbe } from '../../src/probe/softmax.js';
import { packageRoot } from '../../src/util/paths.js';

const PY = '/usr/bin/python3';
const haveSklearn = spawnSync(PY, ['-c', 'import numpy, sklearn'], { encoding: 'utf8' }).status === 0;
const skip = haveSklearn ? false : `${PY} with numpy + scikit-learn not found (apt-get install python3-numpy python3-sklearn)`;

test('near-separable full layer at fixed λ: our loss reaches scikit-learn\'s (C = 1/(n·λ)) within relative 1e-6', { skip }, async () => {
  const n = 3000;
  const d = 256;
  const l2 = 1e-4;
  const all = synthesizeFeatures({ n: n + 500, d, classes: 10, seed: 11 });
  const train = { data: all.features.data.slice(0, n * d), n, d };
  const labels = all.labels.slice(0, n);
  const fit = await fitSoftmaxProbe(train, labels, { l2, classes: 10 });
  const dir = mkdtempSync(join(tmpdir(), 'dr-objective-'));
  try {
    await writeNpy(join(dir, 'train.npy'), train.data, [n, d]);
    await writeNpy(join(dir, 'train_labels.npy'), labels, [n]);
    await writeNpy(join(dir, 'test.npy'), all.features.data.slice(n * d), [500, d]);
    await writeNpy(join(dir, 'test_labels.npy'), all.labels.slice(n), [500]);
    const C = 1 / (n * l2);
    const r = spawnSync(PY, [join(packageRoot(), 'test', 'fixtures', 'probe', 'sklearn_peer.py'), dir, 'objective', String(C)], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const sk = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.ok(Math.abs(sk.l2 - l2) < 1e-15, `λ mapping: ${sk.l2}`);
    // Near-separable: the optimum's loss is far below 1, where the old absolute test quit early.
    assert.ok(sk.objective < 0.05, `objective ${sk.objective} is not near zero`);
    assert.ok(fit.loss <= sk.objective * (1 + 1e-6), `ours ${fit.loss} (${fit.iterations} iterations, stop ${fit.stop}) vs scikit-learn ${sk.objective} (${sk.iterations} iterations)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
