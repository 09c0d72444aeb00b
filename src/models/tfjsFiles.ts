import { sha256Hex } from '../util/hash.js';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type * as tfTypes from '@tensorflow/tfjs-core';
import { FileFormatError, UsageError } from '../util/errors.js';
import { writeFileAtomic } from '../util/atomicWrite.js';

/** The parts of a TF.js `model.json` this module reads and writes. */
export interface TfjsModelJson {
  format?: string;
  generatedBy?: string;
  convertedBy?: string | null;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: tfTypes.io.WeightsManifestEntry[] }[];
  signature?: unknown;
  userDefinedMetadata?: Record<string, unknown>;
  modelInitializer?: unknown;
  trainingConfig?: unknown;
}

/** Resolves a directory or `.json` path to the model.json file; throws a UsageError naming it when absent. */
export function resolveModelJsonPath(pathOrDir: string): string {
  const file = existsSync(pathOrDir) && statSync(pathOrDir).isDirectory() ? join(pathOrDir, 'model.json') : pathOrDir;
  if (!existsSync(file)) throw new UsageError(`TF.js model: ${file} does not exist (expected a model.json or a folder holding one)`);
  return file;
}

/** Reads and checks a model.json (must have modelTopology and weightsManifest). */
export async function readTfjsModelJson(file: string): Promise<TfjsModelJson> {
  let json: any;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err: any) {
    throw new FileFormatError(file, `not valid JSON (${err.message})`);
  }
  if (!json || typeof json !== 'object' || !json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new FileFormatError(file, 'not a TF.js model.json (expected "modelTopology" and "weightsManifest")');
  }
  return json as TfjsModelJson;
}

/**
 * Reads the weight shards a model.json lists (paths relative to its folder) and concatenates
 * them in manifest order. Returns the specs (in the same order) and the bytes.
 */
export async function readTfjsWeights(
  file: string,
  json: TfjsModelJson,
): Promise<{ specs: tfTypes.io.WeightsManifestEntry[]; data: ArrayBuffer }> {
  const dir = dirname(file);
  const specs: tfTypes.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const shard = join(dir, p);
      if (!existsSync(shard)) throw new FileFormatError(file, `weight shard '${p}' listed in weightsManifest is missing (${shard})`);
      parts.push(new Uint8Array(await readFile(shard)));
    }
  }
  const total = parts.reduce((s, p) => s + p.byteLength, 0);
  const out = new Uint8Array(total);
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.byteLength;
  }
  return { specs, data: out.buffer };
}

export { sha256Hex };

function joinWeightData(data: tfTypes.io.WeightData | undefined): Uint8Array {
  if (!data) return new Uint8Array(0);
  if (Array.isArray(data)) {
    const total = data.reduce((s, b) => s + b.byteLength, 0);
    const out = new Uint8Array(total);
    let off = 0;
    for (const b of data) {
      out.set(new Uint8Array(b), off);
      off += b.byteLength;
    }
    return out;
  }
  return new Uint8Array(data);
}


/**
 * A TF.js IOHandler backed by plain files, for Node without tfjs-node: `load()` reads
 * `model.json` and its weight shards; `save()` writes `model.json` and one `weights.bin`
 * (each written to a temp file then renamed, weights first so a present model.json always
 * has its weights). `pathOrDir` is a folder or a path to model.json.
 */
export function fileModelHandler(pathOrDir: string): tfTypes.io.IOHandler {
  const target = pathOrDir.endsWith('.json') ? pathOrDir : join(pathOrDir, 'model.json');
  return {
    async load(): Promise<tfTypes.io.ModelArtifacts> {
      const file = resolveModelJsonPath(pathOrDir);
      const json = await readTfjsModelJson(file);
      const { specs, data } = await readTfjsWeights(file, json);
      return {
        modelTopology: json.modelTopology as any,
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy ?? undefined,
        weightSpecs: specs,
        weightData: data,
        signature: json.signature as any,
        userDefinedMetadata: json.userDefinedMetadata as any,
        modelInitializer: json.modelInitializer as any,
        trainingConfig: json.trainingConfig as any,
      };
    },
    async save(artifacts: tfTypes.io.ModelArtifacts): Promise<tfTypes.io.SaveResult> {
      if (artifacts.modelTopology instanceof ArrayBuffer) {
        throw new UsageError(`fileModelHandler(${pathOrDir}): binary (protobuf) topologies are not supported; save a JSON topology`);
      }
      const weights = joinWeightData(artifacts.weightData);
      const weightsName = `${basename(target, '.json')}.weights.bin`.replace(/^model\./, '');
      const json: TfjsModelJson = {
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [weightsName], weights: artifacts.weightSpecs ?? [] }],
      };
      if (artifacts.signature) json.signature = artifacts.signature;
      if (artifacts.userDefinedMetadata) json.userDefinedMetadata = artifacts.userDefinedMetadata;
      if (artifacts.modelInitializer) json.modelInitializer = artifacts.modelInitializer;
      if (artifacts.trainingConfig) json.trainingConfig = artifacts.trainingConfig;
      await writeFileAtomic(join(dirname(target), weightsName), weights);
      const text = JSON.stringify(json);
      await writeFileAtomic(target, text);
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          modelTopologyBytes: Buffer.byteLength(JSON.stringify(artifacts.modelTopology)),
          weightSpecsBytes: Buffer.byteLength(JSON.stringify(artifacts.weightSpecs ?? [])),
          weightDataBytes: weights.byteLength,
        },
      };
    },
  };
}
