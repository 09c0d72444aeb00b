import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const PYTHON = '/usr/bin/python3';

/** Whether Debian's python3 can import every module named (e.g. 'numpy', 'torch'). */
export function pythonHas(...modules: string[]): boolean {
  if (!existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ['-c', modules.map((m) => `import ${m}`).join('; ')], { encoding: 'utf8' });
  return r.status === 0;
}

/**
 * Runs a Python snippet with `inp` (JSON) on stdin as variable `inp` and returns the JSON it
 * prints last. Used for independent numpy/torch references in tests.
 */
export function runPython(code: string, inp: unknown): any {
  const script = `import json, sys\ninp = json.loads(sys.stdin.read())\n${code}`;
  const r = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(inp), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`python failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}
