import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { createHash } from 'node:crypto';

/** File names of a saved zoo model inside its folder. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';
export const MANIFEST_JSON = 'manifest.json';

/** What {@link saveLayersModelToDir} wrote. */
export interface SavedModelFiles {
  dir: string;
  weightsSha256: string;
  weightsBytes: number;
}

/**
 * Saves a layers model in the TF.js layers format (model.json + weights.bin) into `dir`,
 * plus `extraFiles` (e.g. manifest.json). Everything is written into a temporary sibling
 * folder first, then swapped in by rename, so readers never see a half-written model.
 */
export async function saveLayersModelToDir(
  model: tfl.LayersModel,
  dir: string,
  extraFiles: (saved: { weightsSha256: string; weightsBytes: number }) => Record<string, string> = () => ({}),
): Promise<SavedModelFiles> {
  const tmpDir = join(dirname(dir), `.${basename(dir)}.tmp-${process.pid}`);
  await rm(tmpDir, { recursive: true, force: true });
  await mkdir(tmpDir, { recursive: true });
  let result: SavedModelFiles | undefined;
  const handler: tf.io.IOHandler = {
    save: async (artifacts) => {
      const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData ?? new ArrayBuffer(0)));
      const modelJson = {
        format: 'layers-model',
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy ?? null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs }],
      };
      await writeFile(join(tmpDir, WEIGHTS_BIN), weights);
      await writeFile(join(tmpDir, MODEL_JSON), JSON.stringify(modelJson));
      const weightsSha256 = createHash('sha256').update(weights).digest('hex');
      result = { dir, weightsSha256, weightsBytes: weights.byteLength };
      return { modelArtifactsInfo: tf.io.getModelArtifactsInfoForJSON(artifacts) };
    },
  };
  try {
    await model.save(handler);
    if (!result) throw new Error('model.save did not call the IOHandler');
    for (const [name, text] of Object.entries(extraFiles(result))) await writeFile(join(tmpDir, name), text);
    const old = `${tmpDir}.old`;
    if (existsSync(dir)) await rename(dir, old);
    await rename(tmpDir, dir);
    await rm(old, { recursive: true, force: true });
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  }
  return result;
}

