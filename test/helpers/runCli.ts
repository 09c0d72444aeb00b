import { main } from '../../src/cli/main.js';

/** Runs `dr ...args` in this process, capturing stdout and stderr. */
export async function runCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const write = process.stderr.write;
  process.stderr.write = ((chunk: any) => {
    stderr += String(chunk);
    return true;
  }) as any;
  try {
    const code = await main(args, (s) => {
      stdout += s;
    });
    return { code, stdout, stderr };
  } finally {
    process.stderr.write = write;
  }
}

/** The JSON object on the last stdout line (what --json promises). */
export function lastJson(stdout: string): any {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
