import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { dataDir } from '../util/paths.js';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { FileFormatError, UsageError } from '../util/errors.js';
import type { ModelFormat } from './extractor.js';
import type { TensorLayout } from './preprocess.js';

/** One known public model (data/models/registry.json). */
export interface RegistryModel {
  name: string;
  description: string;
  format: ModelFormat;
  /** File name of the local copy (`.onnx`, or `model.json` for TF.js). */
  file: string;
  /** Download of `file` in `format`; null when none is public (export it instead). */
  url: string | null;
  /** Original weights (PyTorch/timm checkpoint or page). */
  sourceWeights?: string;
  /** Shell command producing `file` from `sourceWeights`. */
  export?: string;
  /** Model input [channels, height, width]. */
  inputSize: [number, number, number];
  layout: TensorLayout;
  /** Preprocessing preset name (see PREPROCESS_PRESETS). */
  preprocessing: string;
  /** Output / node / layer holding the penultimate features. */
  penultimate: string;
  /** Expected feature width. */
  width: number;
}

/** Default registry location: data/models/registry.json. */
export function defaultRegistryPath(): string {
  return join(dataDir(), 'models', 'registry.json');
}

/** Reads and checks the registry file; every entry needs name, format, file, penultimate and width. */
export async function readModelRegistry(path = defaultRegistryPath()): Promise<RegistryModel[]> {
  let json: any;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err: any) {
    throw new FileFormatError(path, `cannot read the model registry (${err.message})`);
  }
  if (!Array.isArray(json?.models)) throw new FileFormatError(path, 'expected {"models": [...]}');
  for (const m of json.models) {
    for (const k of ['name', 'format', 'file', 'penultimate', 'width', 'preprocessing']) {
      if (m[k] === undefined) throw new FileFormatError(path, `model ${JSON.stringify(m.name ?? '?')} lacks "${k}"`);
    }
  }
  return json.models as RegistryModel[];
}

/** Folders searched for a registry model's local copy, in order: $DR_MODELS_DIR/<name>, data/models/external/<name>. */
export function registryModelDirs(name: string): string[] {
  const dirs = [];
  if (process.env.DR_MODELS_DIR) dirs.push(join(process.env.DR_MODELS_DIR, name));
  dirs.push(join(dataDir(), 'models', 'external', name));
  return dirs;
}

async function downloadTo(url: string, file: string, fetchImpl: typeof fetch): Promise<void> {
  const res = await fetchImpl(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  await writeFileAtomic(file, bytes);
}

/**
 * Path of a registry model's local file, downloading it (and, for TF.js, the weight shards
 * model.json lists) into the last of {@link registryModelDirs} when missing and `url` is set.
 * When the file is absent and cannot be fetched, throws a UsageError saying where to put a copy
 * and how to make one.
 */
export async function ensureRegistryModel(
  entry: RegistryModel,
  opts: { download?: boolean; fetchImpl?: typeof fetch } = {},
): Promise<string> {
  const dirs = registryModelDirs(entry.name);
  for (const d of dirs) if (existsSync(join(d, entry.file))) return join(d, entry.file);
  const target = join(dirs[dirs.length - 1], entry.file);
  const howTo = [
    `put a copy at ${target}${process.env.DR_MODELS_DIR ? '' : ' (or under $DR_MODELS_DIR/' + entry.name + '/)'}`,
    entry.export ? `or create it with: ${entry.export}` : '',
    'or export features directly with scripts/export_pytorch_features.py and `dr import`',
  ].filter(Boolean).join('; ');
  if (!entry.url) throw new UsageError(`model '${entry.name}' has no local copy and no public ${entry.format} download: ${howTo}`);
  if (opts.download === false) throw new UsageError(`model '${entry.name}' has no local copy and downloads are off: ${howTo}`);
  try {
    await downloadModelFiles(entry.url, target, opts.fetchImpl);
  } catch (err: any) {
    throw new UsageError(`model '${entry.name}': ${entry.url} is unreachable (${err?.cause?.code ?? err?.message ?? err}); ${howTo}`);
  }
  return target;
}

/**
 * Downloads a model file to `target` (temp file + rename); for a TF.js `model.json` also every
 * weight shard it lists (resolved relative to the URL), shards first so a present model.json
 * always has its weights. On failure nothing partial is left at `target`.
 */
export async function downloadModelFiles(url: string, target: string, fetchImpl: typeof fetch = fetch): Promise<void> {
  if (!url.endsWith('.json')) {
    await downloadTo(url, target, fetchImpl);
    return;
  }
  const res = await fetchImpl(url);
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const text = await res.text();
  const json = JSON.parse(text);
  for (const group of json.weightsManifest ?? []) {
    for (const p of group.paths) await downloadTo(new URL(p, url).toString(), join(dirname(target), p), fetchImpl);
  }
  await writeFileAtomic(target, text);
}
