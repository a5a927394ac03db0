import { printJson } from '../../io/output.js';
import { removeSegment } from '../../services/segments/service.js';
import { confirmed, examples, outputFlags, type Register } from '../shared.js';
import { segmentJson } from './render.js';

export const registerSegmentRemove: Register = (parent, context) => {
  const cmd = parent.command('remove').alias('rm').description('remove a segment (admins, managers, marketing)').addHelpText('after', examples('crm segment remove hot-web')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove segment ${name}?`))) return;
    const seg = await removeSegment(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, segmentJson(seg));
    else ctx.io.out(`Removed segment ${seg.name}`);
  });
};
