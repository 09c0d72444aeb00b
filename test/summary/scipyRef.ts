import { spawnSync } from 'node:child_process';

/** A Python with numpy and scipy (DR_PYTHON, python3, /usr/bin/python3), or null. */
export function findScipyPython(): string | null {
  for (const c of [process.env.DR_PYTHON, 'python3', '/usr/bin/python3'].filter((x): x is string => Boolean(x))) {
    const r = spawnSync(c, ['-c', 'import numpy, scipy'], { encoding: 'utf8' });
    if (r.status === 0) return c;
  }
  return null;
}

/** Runs `code` (which prints one JSON value) with `python`, returning the parsed value; throws with stderr on failure. */
export function runPythonJson(python: string, code: string): any {
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}
