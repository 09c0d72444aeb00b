import { test } from 'node:test';
import assert from 'node:assert/strict';
import { flagOf, usageMessage } from '../../src/cli/optionFlags.js';
import { OptionError, UsageError } from '../../src/util/errors.js';

test('an OptionError speaks API words; the CLI names the flag, also of options cited in backticks', () => {
  const err = new OptionError('out', 'x.arrow holds other results. Set `force` to start over, or another `out`');
  assert.equal(err.message, 'out: x.arrow holds other results. Set `force` to start over, or another `out`');
  assert.ok(err instanceof UsageError);
  assert.equal(usageMessage(err), '--out: x.arrow holds other results. Set --force to start over, or another --out');
  assert.equal(usageMessage(new OptionError('backend', 'not available here', 'gpu')), '--backend gpu: not available here');
  assert.equal(flagOf('inputSize'), '--input-size');
  assert.equal(flagOf('selections'), '--select');
  assert.equal(usageMessage(new UsageError('plain')), 'plain');
});
