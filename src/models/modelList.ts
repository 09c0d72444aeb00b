import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { dataDir } from '../util/paths.js';
import { pretrainedStatus, readPretrainedCatalogue } from './pretrained.js';
import { readModelRegistry, registryModelDirs } from './registry.js';

/** One model `dr extract --model NAME` accepts, with where it comes from and whether it can run here. */
export interface ModelListing {
  name: string;
  kind: 'pretrained' | 'zoo' | 'registry';
  /** Feature width (neurons) of the default feature layer. */
  width: number | null;
  /** Native input, e.g. `224×224×3`. */
  input: string;
  /** Where the weights come from, in a few words. */
  source: string;
  /** True when it loads here without the network. */
  available: boolean;
  /** Where it is, or what is missing. */
  where: string;
}

/**
 * Every named model: the real pre-trained networks (data/models/pretrained/catalogue.json), the
 * miniature zoo (data/models/<name>/manifest.json) and the registry of public models
 * (data/models/registry.json), each with width, source and availability on this machine.
 * @example
 * ```ts
 * const here = (await listModels()).filter((m) => m.available).map((m) => m.name);
 * ```
 */
export async function listModels(): Promise<ModelListing[]> {
  const out: ModelListing[] = [];
  const cat = readPretrainedCatalogue();
  for (const m of cat.models) {
    const st = await pretrainedStatus(m);
    out.push({
      name: m.name, kind: 'pretrained', width: m.width, input: `${m.inputSize}×${m.inputSize}×3 (any side ≥ ${m.minInputSize} with --input-size)`,
      source: `${cat.source.package}@${cat.source.version} (${cat.source.licence}): ImageNet-initialised, fine-tuned on image moderation, uint8 weights`,
      available: st.available,
      where: st.where === 'decoded' ? st.dir : st.where === 'package' ? `decoded on first use from the installed nsfwjs into ${st.dir}` : `not here: npm install --no-save nsfwjs@${cat.source.version}`,
    });
  }
  const zooDir = join(dataDir(), 'models');
  const zoo = existsSync(zooDir) ? readdirSync(zooDir).filter((n) => existsSync(join(zooDir, n, 'model.json'))).sort() : [];
  for (const name of zoo) {
    let manifest: any = {};
    try {
      manifest = JSON.parse(readFileSync(join(zooDir, name, 'manifest.json'), 'utf8'));
    } catch {
      // A folder without a manifest still loads; its width is measured at load time.
    }
    const shape = manifest.inputShape as number[] | undefined;
    out.push({
      name, kind: 'zoo', width: manifest.width ?? null, input: shape ? shape.join('×') : '?',
      source: `miniature zoo, trained here on Fashion-MNIST${manifest.purpose ? ` (${manifest.purpose})` : ''}`, available: true, where: join(zooDir, name),
    });
  }
  for (const r of await readModelRegistry().catch(() => [])) {
    const local = registryModelDirs(r.name).map((d) => join(d, r.file)).find((f) => existsSync(f));
    out.push({
      name: r.name, kind: 'registry', width: r.width, input: r.inputSize.join('×'), source: r.description,
      available: Boolean(local), where: local ?? `not here: ${r.url ? `downloadable (${r.url})` : `export it: ${r.export ?? 'see the registry entry'}`}`,
    });
  }
  return out;
}
