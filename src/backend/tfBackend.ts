import { createRequire } from 'node:module';
import { OptionError } from '../util/errors.js';
import { cudaDeviceAnswers } from './cuda.js';

/** TF.js backends in preference order. */
export const TF_BACKEND_ORDER = ['tensorflow-gpu', 'tensorflow', 'wasm', 'cpu'] as const;
export type TfBackendName = (typeof TF_BACKEND_ORDER)[number];

/** Aliases accepted by `--backend` besides the names themselves. */
const ALIASES: Record<string, TfBackendName> = {
  'tensorflow-gpu': 'tensorflow-gpu', 'node-gpu': 'tensorflow-gpu', 'tfjs-node-gpu': 'tensorflow-gpu', gpu: 'tensorflow-gpu', cuda: 'tensorflow-gpu',
  tensorflow: 'tensorflow', node: 'tensorflow', 'tfjs-node': 'tensorflow',
  wasm: 'wasm', cpu: 'cpu',
};

/** What each candidate needs: the package to load and the name it registers with TF.js. */
const CANDIDATES: Record<TfBackendName, { pkg: string; tfName: string }> = {
  'tensorflow-gpu': { pkg: '@tensorflow/tfjs-node-gpu', tfName: 'tensorflow' },
  tensorflow: { pkg: '@tensorflow/tfjs-node', tfName: 'tensorflow' },
  wasm: { pkg: '@tensorflow/tfjs-backend-wasm', tfName: 'wasm' },
  cpu: { pkg: '@tensorflow/tfjs-backend-cpu', tfName: 'cpu' },
};

/** The backend chosen by {@link selectTfBackend}. */
export interface TfBackendSelection {
  name: TfBackendName;
  /** Why this one (and why the ones before it were skipped). */
  reason: string;
  /** The TF.js namespace the backend is active in (tfjs-node's own for the native backends). */
  tf: any;
  /** Name registered with TF.js (`tensorflow` for both native packages). */
  tfBackend: string;
  /** Every candidate tried, in order, with the outcome. */
  tried: { name: TfBackendName; ok: boolean; reason: string }[];
}

/** Options of {@link selectTfBackend}; `loader` and `cudaDevice` are injectable for tests. */
export interface SelectTfBackendOptions {
  /** Force one backend (`--backend`): a name of {@link TF_BACKEND_ORDER} or alias (node, node-gpu, gpu); `auto` = no force. */
  force?: string;
  /** Loads a package (default: dynamic `import`). */
  loader?: (pkg: string) => Promise<any>;
  /** Says whether a CUDA device answers (default: nvidia-smi / /proc/driver/nvidia). */
  cudaDevice?: () => Promise<boolean> | boolean;
  /** Whether a package is installed, without loading it (default: require.resolve from here). */
  isInstalled?: (pkg: string) => boolean;
  /** Where the one-line choice is printed (default stderr); printed once per sink. */
  log?: (line: string) => void;
}

let defaultLine = (line: string): void => {
  process.stderr.write(`${line}\n`);
};
const defaultLog = (line: string): void => defaultLine(line);

/**
 * Where the `backend: NAME (reason)` line goes when a caller gives no `log` (default stderr); notebooks
 * send it to a small note instead of a red stderr box.
 * @example
 * ```ts
 * setDefaultBackendLog((line) => showNote(line));
 * ```
 */
export function setDefaultBackendLog(log: (line: string) => void): void {
  defaultLine = log;
}
const announced = new WeakSet<(line: string) => void>();
let cachedAuto: Promise<TfBackendSelection> | undefined;

function isNotInstalled(err: any, pkg: string): boolean {
  const code = err?.code;
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && String(err?.message ?? '').includes(pkg);
}

const requireHere = createRequire(import.meta.url);

/** True when `pkg` resolves from this package (installed), without executing it. */
function packageResolves(pkg: string): boolean {
  try {
    requireHere.resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

function shortPkg(pkg: string): string {
  return pkg.replace('@tensorflow/', '');
}

async function tryCandidate(name: TfBackendName, loader: (pkg: string) => Promise<any>, cudaDevice: () => Promise<boolean> | boolean, isInstalled: (pkg: string) => boolean): Promise<{ ok: true; tf: any; reason: string } | { ok: false; reason: string }> {
  const { pkg, tfName } = CANDIDATES[name];
  let mod: any;
  if (name === 'tensorflow-gpu') {
    // Check the device first: loading tfjs-node-gpu without CUDA libraries can abort the process.
    let device = false;
    try {
      device = await cudaDevice();
    } catch {
      device = false;
    }
    if (!device) {
      if (!isInstalled(pkg)) return { ok: false, reason: `${shortPkg(pkg)} not installed` };
      return { ok: false, reason: `${shortPkg(pkg)} installed but no CUDA device answers` };
    }
  }
  try {
    mod = await loader(pkg);
  } catch (err: any) {
    if (isNotInstalled(err, pkg)) return { ok: false, reason: `${shortPkg(pkg)} not installed` };
    return { ok: false, reason: `${shortPkg(pkg)} failed to load: ${err?.message ?? err}` };
  }
  let tf: any;
  try {
    // The native packages bundle (and export) their own tfjs; the others plug into tfjs-core.
    tf = name === 'tensorflow' || name === 'tensorflow-gpu' ? (mod?.setBackend ? mod : mod?.default ?? mod) : await loader('@tensorflow/tfjs-core');
    if (tf?.getBackend?.() !== tfName) {
      const ok = await tf.setBackend(tfName);
      if (!ok) return { ok: false, reason: `${shortPkg(pkg)} loaded but TF.js backend '${tfName}' failed to initialise` };
    }
    await tf.ready();
  } catch (err: any) {
    return { ok: false, reason: `${shortPkg(pkg)} loaded but backend '${tfName}' failed: ${err?.message ?? err}` };
  }
  const reason = name === 'tensorflow-gpu' ? 'CUDA device found'
    : name === 'wasm' ? 'SIMD; single-threaded (no wasm threads in Node)'
    : name === 'tensorflow' ? 'native TensorFlow CPU'
    : 'plain JavaScript';
  return { ok: true, tf, reason };
}

/**
 * Chooses and activates the TF.js backend: `@tensorflow/tfjs-node-gpu` (when installed and a
 * CUDA device answers), `@tensorflow/tfjs-node`, `@tensorflow/tfjs-backend-wasm`, then `cpu`.
 * Prints `backend: NAME (reason)` once per log sink. Without options the result is cached.
 * @throws UsageError when `force` names an unknown backend or one that cannot start here.
 */
export async function selectTfBackend(opts: SelectTfBackendOptions = {}): Promise<TfBackendSelection> {
  const force = opts.force && opts.force !== 'auto' ? opts.force : undefined;
  const plain = !force && !opts.loader && !opts.cudaDevice && !opts.isInstalled;
  if (plain && cachedAuto) {
    const sel = await cachedAuto;
    announce(sel, opts.log ?? defaultLog);
    return sel;
  }
  const run = async (): Promise<TfBackendSelection> => {
    const loader = opts.loader ?? ((pkg: string) => import(pkg));
    const cudaDevice = opts.cudaDevice ?? cudaDeviceAnswers;
    let order: readonly TfBackendName[] = TF_BACKEND_ORDER;
    if (force) {
      const name = ALIASES[force];
      if (!name) throw new OptionError('backend', `unknown TF.js backend '${force}' (expected auto, ${TF_BACKEND_ORDER.join(', ')})`);
      order = [name];
    }
    const tried: TfBackendSelection['tried'] = [];
    for (const name of order) {
      const r = await tryCandidate(name, loader, cudaDevice, opts.isInstalled ?? packageResolves);
      tried.push({ name, ok: r.ok, reason: r.reason });
      if (r.ok) {
        const skipped = tried.filter((t) => !t.ok).map((t) => t.reason);
        const reason = force ? `forced by --backend; ${r.reason}` : skipped.length ? skipped.join('; ') : r.reason;
        return { name, reason, tf: r.tf, tfBackend: CANDIDATES[name].tfName, tried };
      }
    }
    if (force) throw new OptionError('backend', `not available here (${tried.map((t) => t.reason).join('; ')})`, force);
    throw new Error(`no TF.js backend could be started (${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')})`);
  };
  const p = run();
  if (plain) {
    cachedAuto = p;
    p.catch(() => { cachedAuto = undefined; });
  }
  const sel = await p;
  announce(sel, opts.log ?? defaultLog);
  return sel;
}

function announce(sel: TfBackendSelection, log: (line: string) => void): void {
  if (announced.has(log)) return;
  announced.add(log);
  log(`backend: ${sel.name} (${sel.reason})`);
}
