import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatOptions, parseArgs, type OptionSpecs } from '../../src/cli/args.js';
import { UsageError } from '../../src/util/errors.js';

const specs: OptionSpecs = {
  n: { type: 'int', help: 'rows', required: true, min: 1 },
  noise: { type: 'number', help: 'noise', default: 0.5 },
  fractions: { type: 'numbers', help: 'fractions', min: 0, max: 1 },
  probe: { type: 'string', help: 'probe', choices: ['ridge', 'softmax'], default: 'ridge' },
  select: { type: 'strings', help: 'selections', choices: ['random', 'first'] },
  meta: { type: 'string', help: 'k=v', repeat: true },
  verbose: { type: 'boolean', help: 'talk' },
};

test('parses every option kind, with defaults filled in', () => {
  const { options, positionals } = parseArgs(
    ['--n', '10', '--fractions=0.1,0.5', '--select', 'random,first', '--meta', 'a=1', '--meta', 'b=2', '--verbose', 'file.arrow'],
    specs,
  );
  assert.deepEqual(options, {
    n: 10, fractions: [0.1, 0.5], select: ['random', 'first'], meta: ['a=1', 'b=2'], verbose: true, noise: 0.5, probe: 'ridge',
  });
  assert.deepEqual(positionals, ['file.arrow']);
});

test('booleans default to false and accept =false', () => {
  assert.equal(parseArgs(['--n', '1'], specs).options.verbose, false);
  assert.equal(parseArgs(['--n', '1', '--verbose=false'], specs).options.verbose, false);
});

test('bad input is a UsageError naming the option and what was expected', () => {
  const cases: [string[], RegExp][] = [
    [[], /missing required option --n/],
    [['--n', 'ten'], /--n: expected an integer, got 'ten'/],
    [['--n', '1.5'], /--n: expected an integer, got '1.5'/],
    [['--n', '0'], /--n: must be >= 1, got 0/],
    [['--n', '2', '--fractions', '0.1,2'], /--fractions: must be <= 1, got 2/],
    [['--n', '2', '--probe', 'lasso'], /--probe: expected one of ridge, softmax, got 'lasso'/],
    [['--n', '2', '--select', 'random,pca'], /--select: expected values from random, first, got 'pca'/],
    [['--n', '2', '--bogus', '1'], /unknown option --bogus/],
    [['--n'], /--n: expected a value/],
    [['--n', '2', '--noise', ''], /--noise: expected a number/],
  ];
  for (const [argv, re] of cases) {
    assert.throws(() => parseArgs(argv, specs), (e: unknown) => e instanceof UsageError && re.test((e as Error).message), argv.join(' '));
  }
});

test('help lists every option with its constraints', () => {
  const help = formatOptions(specs);
  assert.match(help, /--n INT\s+rows \(required\)/);
  assert.match(help, /--probe STRING\s+probe \(one of: ridge\|softmax; default: ridge\)/);
  assert.match(help, /--verbose\s+talk/);
  assert.equal(help.split('\n').length, Object.keys(specs).length);
});
