#!/usr/bin/env node
// Thin launcher: the CLI lives in the compiled package.
import { main } from '../dist/src/cli/main.js';

// `dr … | head` closes the pipe early: that is not an error.
process.stdout.on('error', (err) => {
  if (err && err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (err) => {
    process.stderr.write(`dr: ${err && err.message ? err.message : String(err)}\n`);
    if (process.env.DR_DEBUG) process.stderr.write(`${err && err.stack}\n`);
    process.exitCode = 1;
  },
);
