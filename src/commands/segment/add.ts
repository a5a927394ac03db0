import { printJson } from '../../io/output.js';
import { addSegment } from '../../services/segments/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { segmentJson } from './render.js';

export const registerSegmentAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('save a filter under a name (admins, managers, marketing)').addHelpText('after', examples('crm segment add hot-web --where "source in (Website, Google Ads) and score>=60 and stage!=Lost"'))
    .argument('<name>')
    .option('--where <filter>', 'e.g. "source in (Website, Google Ads) and score>=60 and stage!=Lost"');
  outputFlags(cmd).action(async (name: string, opts: { where?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const seg = await addSegment(await ctx.services(), { name, where: opts.where });
    if (opts.json) printJson(ctx.io, segmentJson(seg));
    else ctx.io.out(`Added segment ${seg.name} (${seg.count} matching now)`);
  });
};
