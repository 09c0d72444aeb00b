import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';

/**
 * True when an NVIDIA CUDA device answers: a GPU listed under /proc/driver/nvidia/gpus, or
 * `nvidia-smi -L` printing a GPU line. Never throws (false on any failure).
 */
export function cudaDeviceAnswers(): boolean {
  try {
    const dir = '/proc/driver/nvidia/gpus';
    if (existsSync(dir) && readdirSync(dir).length > 0) return true;
  } catch {
    // unreadable /proc entry: fall through to nvidia-smi
  }
  try {
    const r = spawnSync('nvidia-smi', ['-L'], { encoding: 'utf8', timeout: 5000 });
    return r.status === 0 && /GPU \d+/.test(r.stdout ?? '');
  } catch {
    return false;
  }
}
