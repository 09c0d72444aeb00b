import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, truncate, writeFile, cp } from 'node:fs/promises';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeModelBundle, decodeWeightBundle } from '../../src/models/nsfwjsBundle.js';
import { decodePretrainedModel, pretrainedDir, readPretrainedCatalogue, verifyPretrainedFolder, type PretrainedModel } from '../../src/models/pretrained.js';
import { FileFormatError, UsageError } from '../../src/util/errors.js';

const sha = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

/** A weight bundle in the package's own browserify shape, around `bytes` as base64. */
function weightBundle(bytes: Uint8Array): string {
  return `!function(e){if("object"==typeof exports&&"undefined"!=typeof module)module.exports=e();else{(this).g=e()}}(function(){return function e(h,n,d){function m(i){if(!n[i]){var g=n[i]={exports:{}};h[i][0].call(g.exports,function(e){return m(h[i][1][e]||e)},g,g.exports,e,h,n,d)}return n[i].exports}for(var i=0;i<d.length;i++)m(d[i]);return m}({1:[function(e,h,n){h.exports="${Buffer.from(bytes).toString('base64')}"},{}]},{},[1])(1)});`;
}

/** A model.json bundle: a minified object literal (not JSON: `!1`, unquoted keys). */
function modelBundle(): string {
  return `!function(e){if("object"==typeof exports&&"undefined"!=typeof module)module.exports=e()}(function(){return{modelTopology:{node:[],flag:!1},weightsManifest:[{paths:["group1-shard1of2","group1-shard2of2"],weights:[{name:"w",shape:[5],dtype:"float32",quantization:{min:-.5,scale:.01,dtype:"uint8"}}]}]}});`;
}

async function fakePackage(root: string, bytes: Uint8Array[]): Promise<{ dir: string; entry: PretrainedModel }> {
  const dir = join(root, 'nsfwjs');
  const bundleDir = join(dir, 'dist', 'models', 'tiny');
  await mkdir(bundleDir, { recursive: true });
  const model = modelBundle();
  await writeFile(join(bundleDir, 'model.min.js'), model);
  const shards = bytes.map((_, i) => `group1-shard${i + 1}of${bytes.length}.min.js`);
  for (let i = 0; i < bytes.length; i++) await writeFile(join(bundleDir, shards[i]), weightBundle(bytes[i]));
  await writeFile(join(dir, 'LICENSE'), 'MIT License (test copy)\n');
  const all = Buffer.concat(bytes.map((b) => Buffer.from(b)));
  const entry: PretrainedModel = {
    name: 'tiny-net', title: 'tiny', bundle: 'tiny', shards, modelBundleSha256: sha(model), format: 'tfjs-graph', featureNode: 'f', poolNode: 'p', trunkNode: 't',
    width: 5, inputSize: 8, minInputSize: 4, weightsBytes: all.length, weightsSha256: sha(all), committed: false, intermediate: [], standsFor: 'a test',
  };
  return { dir, entry };
}

test('decodeWeightBundle returns the exact bytes (every byte value, odd lengths); truncated or malformed bundles name the file', () => {
  for (const n of [0, 1, 2, 3, 256, 1001]) {
    const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 37 + 11) & 255);
    assert.deepEqual(decodeWeightBundle(weightBundle(bytes), 'x.min.js'), bytes);
  }
  const full = weightBundle(Uint8Array.from({ length: 300 }, (_, i) => i & 255));
  assert.throws(() => decodeWeightBundle(full.slice(0, Math.floor(full.length / 2)), 'half.min.js'), (e: any) => e instanceof FileFormatError && /half\.min\.js/.test(e.message) && /truncated/.test(e.message));
  assert.deepEqual(decodeWeightBundle('h.exports="QUJD"', 'ok.js'), new TextEncoder().encode('ABC'));
  assert.throws(() => decodeWeightBundle('h.exports="QUJDR"', 'bad.js'), (e: any) => /bad\.js/.test(e.message) && /multiple of 4/.test(e.message));
  assert.throws(() => decodeWeightBundle('module.exports={}', 'nostring.js'), /nostring\.js.*not an nsfwjs weight bundle/);
});

test('decodeModelBundle evaluates the object literal without globals and checks it is a model.json', () => {
  const json = decodeModelBundle(modelBundle(), 'model.min.js');
  assert.equal((json.modelTopology as any).flag, false);
  assert.equal(json.weightsManifest[0].weights[0].quantization?.scale, 0.01);
  assert.throws(() => decodeModelBundle(modelBundle().slice(0, 80), 'cut.min.js'), (e: any) => e instanceof FileFormatError && /cut\.min\.js/.test(e.message));
  assert.throws(() => decodeModelBundle('module.exports={a:1}', 'other.js'), /other\.js.*modelTopology/);
  assert.throws(() => decodeModelBundle('module.exports=require("fs")', 'req.js'), /req\.js/);
});

test('decodePretrainedModel writes verified weights and a model.json pointing at weights.bin; checksum, truncation and missing files are named errors', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-nsfw-'));
  try {
    const parts = [Uint8Array.from({ length: 4 }, (_, i) => i + 1), Uint8Array.from([250])];
    const { dir, entry } = await fakePackage(root, parts);
    const out = join(root, 'decoded');
    assert.equal(await decodePretrainedModel(entry, dir, out), entry.weightsSha256);
    assert.deepEqual(new Uint8Array(await readFile(join(out, 'weights.bin'))), Uint8Array.from([1, 2, 3, 4, 250]));
    const json = JSON.parse(await readFile(join(out, 'model.json'), 'utf8'));
    assert.deepEqual(json.weightsManifest[0].paths, ['weights.bin']);
    const manifest = JSON.parse(await readFile(join(out, 'manifest.json'), 'utf8'));
    assert.match(manifest.provenance, /ImageNet-initialised.*fine-tuned.*image-moderation.*uint8/);
    assert.equal(manifest.weightsSha256, entry.weightsSha256);
    assert.ok(existsSync(join(out, 'LICENSE')));
    assert.deepEqual(readdirSync(out).filter((f) => f.endsWith('.tmp')), [], 'no temporary files left');
    await verifyPretrainedFolder(entry, out);

    await assert.rejects(decodePretrainedModel({ ...entry, weightsSha256: '0'.repeat(64) }, dir, join(root, 'bad')), (e: any) => e instanceof FileFormatError && /tiny-net/.test(e.message) && /expected 0000/.test(e.message));
    assert.ok(!existsSync(join(root, 'bad', 'model.json')), 'a checksum failure writes no model.json');
    await assert.rejects(decodePretrainedModel({ ...entry, modelBundleSha256: 'f'.repeat(64) }, dir, join(root, 'bad2')), /tiny-net.*model\.min\.js|model\.min\.js.*tiny-net/);
    await assert.rejects(decodePretrainedModel({ ...entry, weightsBytes: 6 }, dir, join(root, 'bad3')), /tiny-net.*decoded 5 weight bytes, expected 6/);
    await rm(join(dir, 'dist', 'models', 'tiny', entry.shards[1]));
    await assert.rejects(decodePretrainedModel(entry, dir, join(root, 'bad4')), (e: any) => e instanceof UsageError && /tiny-net/.test(e.message) && /group1-shard2of2\.min\.js is missing/.test(e.message));

    await truncate(join(out, 'weights.bin'), 3);
    await assert.rejects(verifyPretrainedFolder(entry, out), /tiny-net.*3 bytes, expected 5/);
    await rm(join(out, 'weights.bin'));
    await assert.rejects(verifyPretrainedFolder(entry, out), /weights\.bin.*tiny-net.*missing/);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('the committed MobileNetV2 folders match the catalogue byte count and sha256; a flipped byte is caught', async () => {
  const root = await mkdtemp(join(tmpdir(), 'dr-nsfw-'));
  try {
    for (const entry of readPretrainedCatalogue().models.filter((m) => m.committed)) {
      const dir = join(pretrainedDir(), entry.name);
      await verifyPretrainedFolder(entry, dir);
      const copy = join(root, entry.name);
      await cp(dir, copy, { recursive: true });
      const bytes = await readFile(join(copy, 'weights.bin'));
      bytes[1000] ^= 1;
      await writeFile(join(copy, 'weights.bin'), bytes);
      await assert.rejects(verifyPretrainedFolder(entry, copy), new RegExp(`${entry.name.replace('.', '\\.')}.*sha256 [0-9a-f]{64}, expected ${entry.weightsSha256}`));
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('a model neither decoded nor decodable (no nsfwjs installed) is a UsageError saying how to get it', async () => {
  const { ensurePretrainedModel, findPretrainedModel } = await import('../../src/models/pretrained.js');
  const root = await mkdtemp(join(tmpdir(), 'dr-nsfw-'));
  const saved = { data: process.env.DR_DATA_DIR, nsfw: process.env.DR_NSFWJS_DIR };
  try {
    await mkdir(join(root, 'models', 'pretrained'), { recursive: true });
    await cp(join(pretrainedDir(), 'catalogue.json'), join(root, 'models', 'pretrained', 'catalogue.json'));
    process.env.DR_DATA_DIR = root;
    process.env.DR_NSFWJS_DIR = join(root, 'no-such-package');
    const entry = findPretrainedModel('inceptionv3')!;
    await assert.rejects(ensurePretrainedModel(entry, () => {}), (e: any) => e instanceof UsageError && /inceptionv3/.test(e.message) && /npm install --no-save nsfwjs@4\.4\.0/.test(e.message));
  } finally {
    if (saved.data === undefined) delete process.env.DR_DATA_DIR; else process.env.DR_DATA_DIR = saved.data;
    if (saved.nsfw === undefined) delete process.env.DR_NSFWJS_DIR; else process.env.DR_NSFWJS_DIR = saved.nsfw;
    await rm(root, { recursive: true, force: true });
  }
});
