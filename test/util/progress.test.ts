import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, formatProgress, Progress, type ProgressEvent } from '../../src/util/progress.js';

test('rate and ETA follow from done, total and elapsed time', () => {
  const events: ProgressEvent[] = [];
  let now = 1000;
  const p = new Progress('extract', 100, (e) => events.push(e), 'images', () => now);
  now += 2000; // 2 s
  p.tick(10);
  now += 2000;
  p.tick(30);
  assert.equal(events.length, 2);
  assert.equal(events[0].rate, 5); // 10 items in 2 s
  assert.equal(events[0].etaSeconds, 18); // 90 left at 5/s
  assert.equal(events[1].done, 40);
  assert.equal(events[1].rate, 10);
  assert.equal(events[1].etaSeconds, 6);
  assert.equal(formatProgress(events[1]), 'extract 40/100 images (10.0 images/s, ETA 6.0s)');
});

test('durations read as a person would write them', () => {
  assert.equal(formatDuration(12.34), '12.3s');
  assert.equal(formatDuration(185), '3m05s');
  assert.equal(formatDuration(3720), '1h02m');
  assert.equal(formatDuration(NaN), '?');
});
