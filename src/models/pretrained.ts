import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/atomicWrite.js';
import { FileFormatError, UsageError } from '../util/errors.js';
import { dataDir } from '../util/paths.js';
import { decodeModelBundle, decodeWeightBundle, findNsfwjsPackage, NSFWJS_VERSION, readBundleFile } from './nsfwjsBundle.js';
import { sha256Hex, type TfjsModelJson } from './tfjsFiles.js';

/** One real pre-trained network of data/models/pretrained/catalogue.json. */
export interface PretrainedModel {
  name: string;
  title: string;
  /** Folder under nsfwjs's dist/models/. */
  bundle: string;
  /** Weight bundle files, in weight order. */
  shards: string[];
  modelBundleSha256: string;
  format: 'tfjs-layers' | 'tfjs-graph';
  /** Layer (layers model) or node (graph) holding the pooled penultimate features. */
  featureNode: string;
  /** The fixed global average pool that `--input-size` rewrites. */
  poolNode: string;
  /** The pool's input (the last convolutional feature map). */
  trunkNode: string;
  /** Feature width (neurons). */
  width: number;
  /** Native square input side, pixels. */
  inputSize: number;
  /** Smallest input side the network's strides accept. */
  minInputSize: number;
  weightsBytes: number;
  /** SHA-256 hex of the decoded weight bytes. */
  weightsSha256: string;
  /** Stored decoded in git (true) or decoded on demand from an installed nsfwjs (false). */
  committed: boolean;
  /** Intermediate nodes for E10 (global-average-pooled), with their channel counts. */
  intermediate: Array<{ node: string; short: string; width: number }>;
  /** Which of the paper's models it stands in for. */
  standsFor: string;
}

/** The catalogue file with its package provenance. */
export interface PretrainedCatalogue {
  description: string;
  source: { package: string; version: string; licence: string; licenceHolder: string; repository: string };
  models: PretrainedModel[];
}

/** data/models/pretrained/: the catalogue and one folder per decoded model. */
export function pretrainedDir(): string {
  return join(dataDir(), 'models', 'pretrained');
}

let memo: { path: string; catalogue: PretrainedCatalogue } | undefined;

/** Reads data/models/pretrained/catalogue.json (memoised per path); throws a FileFormatError naming it when unreadable. */
export function readPretrainedCatalogue(path = join(pretrainedDir(), 'catalogue.json')): PretrainedCatalogue {
  if (memo?.path === path) return memo.catalogue;
  let json: any;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err: any) {
    throw new FileFormatError(path, `cannot read the pre-trained model catalogue (${err.message})`);
  }
  if (!Array.isArray(json?.models)) throw new FileFormatError(path, 'expected {"models": [...]}');
  memo = { path, catalogue: json as PretrainedCatalogue };
  return memo.catalogue;
}

/** The catalogue entry called `name`, or undefined. */
export function findPretrainedModel(name: string): PretrainedModel | undefined {
  if (!existsSync(join(pretrainedDir(), 'catalogue.json'))) return undefined;
  return readPretrainedCatalogue().models.find((m) => m.name === name);
}

/** The manifest written beside a decoded model: the catalogue entry plus plain provenance. */
export function pretrainedManifest(entry: PretrainedModel): Record<string, unknown> {
  const src = readPretrainedCatalogue().source;
  return {
    name: entry.name,
    title: entry.title,
    provenance: `ImageNet-initialised, then fine-tuned by the ${src.package} authors on a 5-class image-moderation data set; weights uint8-quantised (dequantised to float32 on load). Decoded from ${src.package}@${src.version} dist/models/${entry.bundle}/.`,
    licence: `${src.licence} (${src.licenceHolder}); see LICENSE in this folder`,
    repository: src.repository,
    format: entry.format,
    inputShape: [entry.inputSize, entry.inputSize, 3],
    preprocessing: 'unit-range RGB (pixels / 255, bilinear resize to the input size), as nsfwjs does',
    featureNode: entry.featureNode,
    width: entry.width,
    weightsBytes: entry.weightsBytes,
    weightsSha256: entry.weightsSha256,
    standsFor: entry.standsFor,
  };
}

/**
 * Checks a decoded model folder: model.json and weights.bin present, weights of the catalogue's
 * byte count and sha256. Throws a FileFormatError naming the model, the file and what was
 * expected (missing, truncated, checksum mismatch).
 */
export async function verifyPretrainedFolder(entry: PretrainedModel, dir: string): Promise<void> {
  const weights = join(dir, 'weights.bin');
  for (const f of [join(dir, 'model.json'), weights]) {
    if (!existsSync(f)) throw new FileFormatError(f, `model '${entry.name}': file missing (a decoded model needs model.json and weights.bin)`);
  }
  const size = statSync(weights).size;
  if (size !== entry.weightsBytes) throw new FileFormatError(weights, `model '${entry.name}': ${size} bytes, expected ${entry.weightsBytes} (truncated or wrong file)`);
  const hash = sha256Hex(new Uint8Array(await readFile(weights)));
  if (hash !== entry.weightsSha256) throw new FileFormatError(weights, `model '${entry.name}': sha256 ${hash}, expected ${entry.weightsSha256}`);
}

/**
 * Decodes one model from an nsfwjs package folder into `outDir` (model.json, weights.bin,
 * manifest.json, LICENSE): checks model.min.js's sha256 before evaluating it, decodes the weight
 * bundles with Buffer base64, checks the bytes' length and sha256 against the catalogue, and
 * writes each file atomically, weights first and model.json last, so a present model.json
 * always has verified weights beside it. Returns the bytes' sha256.
 */
export async function decodePretrainedModel(entry: PretrainedModel, packageDir: string, outDir: string): Promise<string> {
  const bundleDir = join(packageDir, 'dist', 'models', entry.bundle);
  const modelFile = join(bundleDir, 'model.min.js');
  const modelText = await readBundleFile(modelFile, `model '${entry.name}'`);
  const modelHash = sha256Hex(new TextEncoder().encode(modelText));
  if (modelHash !== entry.modelBundleSha256) {
    throw new FileFormatError(modelFile, `model '${entry.name}': sha256 ${modelHash}, expected ${entry.modelBundleSha256} (nsfwjs@${NSFWJS_VERSION})`);
  }
  const json = decodeModelBundle(modelText, modelFile);
  const parts: Uint8Array[] = [];
  for (const shard of entry.shards) {
    const file = join(bundleDir, shard);
    parts.push(decodeWeightBundle(await readBundleFile(file, `model '${entry.name}'`), file));
  }
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    bytes.set(p, off);
    off += p.byteLength;
  }
  if (total !== entry.weightsBytes) throw new FileFormatError(bundleDir, `model '${entry.name}': decoded ${total} weight bytes, expected ${entry.weightsBytes}`);
  const hash = sha256Hex(bytes);
  if (hash !== entry.weightsSha256) throw new FileFormatError(bundleDir, `model '${entry.name}': decoded weights have sha256 ${hash}, expected ${entry.weightsSha256}`);
  const weights = json.weightsManifest.flatMap((g) => g.weights);
  const out: TfjsModelJson = { ...json, weightsManifest: [{ paths: ['weights.bin'], weights }] };
  await writeFileAtomic(join(outDir, 'weights.bin'), bytes);
  const licence = join(packageDir, 'LICENSE');
  if (existsSync(licence)) await writeFileAtomic(join(outDir, 'LICENSE'), await readFile(licence));
  await writeFileAtomic(join(outDir, 'manifest.json'), JSON.stringify(pretrainedManifest(entry), null, 2) + '\n');
  await writeFileAtomic(join(outDir, 'model.json'), JSON.stringify(out));
  return hash;
}

/** Where a catalogue model is (or would be) on this machine. */
export interface PretrainedStatus {
  available: boolean;
  /** `decoded` (folder present), `package` (decodable from an installed nsfwjs), `missing`. */
  where: 'decoded' | 'package' | 'missing';
  dir: string;
}

/** Whether `entry` can be loaded here without the network (decoded folder, or an installed nsfwjs to decode from). */
export async function pretrainedStatus(entry: PretrainedModel): Promise<PretrainedStatus> {
  const dir = join(pretrainedDir(), entry.name);
  if (existsSync(join(dir, 'model.json'))) return { available: true, where: 'decoded', dir };
  return (await findNsfwjsPackage()) ? { available: true, where: 'package', dir } : { available: false, where: 'missing', dir };
}

/**
 * The folder of a catalogue model, decoding it from an installed nsfwjs package on first use
 * (the decoded folder is the cache). The folder is verified (size and sha256) every time.
 * Throws a UsageError saying how to get the package when it is neither decoded nor installed.
 */
export async function ensurePretrainedModel(entry: PretrainedModel, log: (line: string) => void = (l) => process.stderr.write(l + '\n')): Promise<string> {
  const dir = join(pretrainedDir(), entry.name);
  if (!existsSync(join(dir, 'model.json'))) {
    const pkg = await findNsfwjsPackage();
    if (!pkg) {
      throw new UsageError(
        `model '${entry.name}' is not decoded here (${dir}) and no nsfwjs package was found; run \`npm install --no-save nsfwjs@${NSFWJS_VERSION}\` (or set DR_NSFWJS_DIR to its folder), then retry`,
      );
    }
    const t0 = performance.now();
    await decodePretrainedModel(entry, pkg.dir, dir);
    log(`decoded ${entry.name} from ${pkg.dir} (nsfwjs ${pkg.version}) into ${dir} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  await verifyPretrainedFolder(entry, dir);
  return dir;
}
