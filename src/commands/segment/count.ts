import { printJson } from '../../io/output.js';
import { countSegment } from '../../services/segments/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerSegmentCount: Register = (parent, context) => {
  const cmd = parent.command('count').description('how many of your leads match a segment').addHelpText('after', examples('crm segment count hot-web')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const seg = await countSegment(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, { name: seg.name, count: seg.count });
    else ctx.io.out(String(seg.count));
  });
};
