import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { defineCommand } from '../command.js';
import { UsageError } from '../../util/errors.js';
import { ZOO_SPECS, zooSpec } from '../../models/pretrain/zooSpecs.js';
import { pretrainZooModel, zooDir } from '../../models/pretrain/pretrainZoo.js';
import { initTrainingBackend, type TrainingBackendName } from '../../models/pretrain/trainingBackend.js';
import { loadFashionMnist } from '../../datasets/fashionMnist.js';
import { formatDuration } from '../../util/progress.js';
import { measureZooTable } from '../../models/pretrain/zooTable.js';

export const command = defineCommand({
  name: 'pretrain',
  summary: 'train the miniature model zoo (TF.js)',
  usage: '--model NAME | --all [--epochs E] [--backend wasm|cpu|tensorflow] [--out DIR] | --table [--out DIR]',
  description:
    'Trains zoo models on Fashion-MNIST (60,000 training images) with a fixed seed and saves each as ' +
    'DIR/<name>/{model.json,weights.bin,manifest.json} plus DIR/zoo.json (default DIR: data/models). ' +
    `Models: ${ZOO_SPECS.map((s) => s.name).join(', ')}. Progress per epoch on stderr. ` +
    '--table trains nothing: it prints the README zoo table of the trained models (manifests, plus dead units of `penultimate` counted on the 2,000 mnist-digits test images).',
  options: {
    model: { type: 'strings', help: 'zoo model name(s), comma separated', meta: 'NAME', choices: ZOO_SPECS.map((s) => s.name) },
    all: { type: 'boolean', help: 'train every zoo model, in priority order' },
    table: { type: 'boolean', help: 'print the zoo table (Markdown) of the trained models instead of training' },
    epochs: { type: 'int', help: "override each model's epoch count", min: 1 },
    backend: { type: 'string', help: 'TF.js backend', default: 'wasm', choices: ['wasm', 'cpu', 'tensorflow', 'webgl', 'webgpu'] },
    out: { type: 'string', help: 'output folder (default data/models)', meta: 'DIR' },
    'skip-existing': { type: 'boolean', help: 'skip models whose manifest.json already exists' },
    'fashion-mnist': { type: 'string', help: 'folder with the Fashion-MNIST files (else searched, see `dr datasets`)', meta: 'DIR' },
    download: { type: 'boolean', help: 'download Fashion-MNIST (checksummed) if no copy is found' },
  },
  run: async (args, io) => {
    const o = args.options;
    if (o.table) {
      if (o.all || o.model) throw new UsageError('--table trains nothing: give it without --model / --all');
      const table = await measureZooTable({ zooDir: o.out ?? zooDir(), names: ZOO_SPECS.map((s) => s.name) });
      io.print(table.toMarkdown());
      return { table: table.objects() };
    }
    if (!o.all && !o.model) throw new UsageError('give --model NAME or --all');
    if (o.all && o.model) throw new UsageError('--model and --all exclude each other: give one of them');
    const names: string[] = o.all ? ZOO_SPECS.map((s) => s.name) : o.model;
    const outDir: string = o.out ?? zooDir();
    const backend = await initTrainingBackend(o.backend as TrainingBackendName);
    const fm = { path: o['fashion-mnist'], download: o.download };
    const trainval = await loadFashionMnist('trainval', fm);
    const test = await loadFashionMnist('test', fm);
    const results: Record<string, unknown>[] = [];
    const start = performance.now();
    for (const [i, name] of names.entries()) {
      if (o['skip-existing'] && existsSync(join(outDir, name, 'manifest.json'))) {
        io.print(`${name}: exists, skipped`);
        continue;
      }
      process.stderr.write(`[${i + 1}/${names.length}] ${name} (elapsed ${formatDuration((performance.now() - start) / 1000)})\n`);
      const m = await pretrainZooModel(zooSpec(name), {
        epochs: o.epochs, outDir, backend, trainval, test, order: ZOO_SPECS.map((s) => s.name),
        onBatch: (done, total, loss) => process.stderr.write(`  ${name} ${done}/${total} images, loss ${loss.toFixed(4)}\n`),
      });
      io.print(`${name}: test accuracy ${(100 * m.testAccuracy).toFixed(2)}%, ${m.trainSeconds}s, ${(m.weightsBytes / 1024).toFixed(0)} KiB`);
      results.push({ name, testAccuracy: m.testAccuracy, trainSeconds: m.trainSeconds, weightsBytes: m.weightsBytes, dir: join(outDir, name) });
    }
    return { backend, outDir, models: results };
  },
});
