import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cudaDeviceAnswers } from '../../src/backend/cuda.js';

test('cudaDeviceAnswers never throws and is false on a machine without the NVIDIA driver', () => {
  const answer = cudaDeviceAnswers();
  assert.equal(typeof answer, 'boolean');
  if (!existsSync('/proc/driver/nvidia') && !existsSync('/dev/nvidia0')) assert.equal(answer, false);
});
