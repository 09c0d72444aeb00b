import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { acquireLock } from '../../src/util/lock.js';
import { tempDir } from '../cache/tmpdir.js';

const dir = tempDir('dr-lock-');

test('one holder at a time: a live holder is waited for, then the lock passes on', async () => {
  const target = join(dir, 'a.arrow');
  const first = await acquireLock(target);
  assert.equal(JSON.parse(readFileSync(`${target}.lock`, 'utf8')).pid, process.pid);
  let told = 0;
  const second = acquireLock(target, { pollMs: 20, onWait: () => { told++; } });
  await new Promise((r) => setTimeout(r, 100));
  first.release();
  const held = await second;
  assert.equal(told, 1);
  held.release();
  assert.equal(existsSync(`${target}.lock`), false);
});

test('a live holder past the timeout is an error naming the lock file, PID and host', async () => {
  const target = join(dir, 'b.arrow');
  writeFileSync(`${target}.lock`, JSON.stringify({ pid: process.pid, host: hostname(), startedAt: 'earlier' }));
  await assert.rejects(acquireLock(target, { timeoutSeconds: 0.2, pollMs: 20, onWait: () => {} }), new RegExp(`b\\.arrow\\.lock: is held by PID ${process.pid} on ${hostname()} since earlier`));
});

test('a lock of a dead PID on this host is stale and taken over; one of another host is not', async () => {
  const target = join(dir, 'c.arrow');
  writeFileSync(`${target}.lock`, JSON.stringify({ pid: 2 ** 22 + 999, host: hostname(), startedAt: 'then' }));
  const l = await acquireLock(target, { timeoutSeconds: 2 });
  l.release();
  writeFileSync(`${target}.lock`, JSON.stringify({ pid: 2 ** 22 + 999, host: 'elsewhere', startedAt: 'then' }));
  await assert.rejects(acquireLock(target, { timeoutSeconds: 0.2, pollMs: 20, onWait: () => {} }), /on elsewhere/);
});
