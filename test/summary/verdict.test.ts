import { test } from 'node:test';
import assert from 'node:assert/strict';
import { countAnswers, decide, formatInterval, ruleText } from '../../src/summary/verdict.js';

test('decide: the answer depends on where the whole interval lies relative to the margin', () => {
  const g = { direction: 'greater', margin: 0.1 } as const;
  assert.equal(decide({ lo: 0.11, hi: 0.2 }, g), 'holds');
  assert.equal(decide({ lo: 0.02, hi: 0.09 }, g), 'does-not-hold');
  // The E3 case: a range of 0.0998 with any real noise is neither.
  assert.equal(decide({ lo: 0.07, hi: 0.13 }, g), 'inconclusive');
  const l = { direction: 'less', margin: 0.1 } as const;
  assert.equal(decide({ lo: 0.01, hi: 0.05 }, l), 'holds');
  assert.equal(decide({ lo: 0.12, hi: 0.3 }, l), 'does-not-hold');
  const w = { direction: 'within', margin: 0.1 } as const;
  assert.equal(decide({ lo: -0.05, hi: 0.08 }, w), 'holds');
  assert.equal(decide({ lo: -0.3, hi: -0.12 }, w), 'does-not-hold');
  assert.equal(decide({ lo: 0.05, hi: 0.2 }, w), 'inconclusive');
  assert.equal(decide({ lo: -Infinity, hi: Infinity }, g), 'inconclusive');
  assert.equal(decide({ lo: NaN, hi: NaN }, g), 'inconclusive');
  assert.equal(ruleText(w), '|effect| ≤ 0.1');
  assert.equal(formatInterval({ estimate: 0.5, lo: 0.25, hi: Infinity }, 2), '0.50 [0.25, ∞]');
  assert.deepEqual(countAnswers([{ answer: 'holds' }, { answer: 'holds' }, { answer: 'inconclusive' }]), { holds: 2, 'does-not-hold': 0, inconclusive: 1 });
});
