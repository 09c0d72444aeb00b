import { defineCommand } from '../command.js';
import { listDatasets, DATASET_NAMES, type DatasetName } from '../../datasets/registry.js';
import { locateFashionMnist } from '../../datasets/fashionMnist.js';
import { downloadDatasetArchives, DATASET_ARCHIVES } from '../../datasets/archives.js';
import { defaultDatasetRoot } from '../../datasets/registry.js';
import { UsageError } from '../../util/errors.js';

export const command = defineCommand({
  name: 'datasets',
  summary: 'list the datasets found on this machine',
  usage: '[--download NAME] [--root DIR]',
  description:
    'Lists each dataset loadDataset knows (fashion-mnist, mnist-digits, cifar10, cifar100, flowers102, oxford-pets; ' +
    'each also as <name>-<k>shot) and where it was found. Fashion-MNIST is searched in data/datasets/fashion-mnist/ ' +
    "then Debian's /usr/share/datasets/fashion-mnist. --download fetches a dataset's official files (checksum-verified).",
  options: {
    download: { type: 'string', help: 'download this dataset (needs the network)', choices: [...DATASET_NAMES.filter((n) => n !== 'mnist-digits')], meta: 'NAME' },
    root: { type: 'string', help: 'folder to download into (default data/datasets/<name>)', meta: 'DIR' },
  },
  run: async (args, io) => {
    const o = args.options;
    if (o.download) {
      const name = o.download as DatasetName;
      const root = o.root ?? defaultDatasetRoot(name);
      const log = (l: string) => process.stderr.write(l + '\n');
      if (name === 'fashion-mnist') await locateFashionMnist({ download: true, searchDirs: [root], log });
      else if (name in DATASET_ARCHIVES) await downloadDatasetArchives(name as keyof typeof DATASET_ARCHIVES, root, { log });
      else throw new UsageError(`--download: no downloader for ${name}`);
      io.print(`${name}: downloaded into ${root}`);
    }
    const datasets = await listDatasets();
    for (const d of datasets) {
      io.print(`${d.name.padEnd(14)} ${d.found ? 'found    ' : 'missing  '} ${d.found ? `${d.location} (${d.source})` : d.note ?? ''}`);
    }
    return { datasets };
  },
});
