import { defineCommand } from '../command.js';
import { listModels } from '../../models/modelList.js';

export const command = defineCommand({
  name: 'models',
  summary: 'list every model dr extract knows, with width, source and whether it is here',
  usage: '[--json]',
  description: [
    'Lists the real pre-trained networks (data/models/pretrained/: MobileNetV2 1.4 and 1.0 committed decoded,',
    'InceptionV3 decoded on first use from an installed nsfwjs@4.4.0), the miniature zoo (data/models/<name>/)',
    'and the registry of public models (data/models/registry.json), each with its feature width, where its',
    'weights come from, and whether it loads on this machine without the network.',
  ].join('\n'),
  options: {},
  async run(_args, io) {
    const models = await listModels();
    const w = Math.max(...models.map((m) => m.name.length));
    for (const m of models) {
      io.print(`${m.name.padEnd(w)}  ${m.kind.padEnd(10)} ${String(m.width ?? '?').padStart(5)}  ${m.available ? 'here   ' : 'missing'}  ${m.source}; ${m.where}`);
    }
    return { models };
  },
});
