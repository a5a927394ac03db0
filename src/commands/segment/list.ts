import { printList } from '../../io/output.js';
import { listSegments } from '../../services/segments/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { segmentColumns, segmentJson } from './render.js';

export const registerSegmentList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('list segments with how many of your leads match each').addHelpText('after', examples('crm segment list', 'crm segment list --json'));
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listSegments(await ctx.services());
    await printList(ctx.io, opts, rows, segmentColumns, (s) => segmentJson({ ...s, count: s.count < 0 ? undefined : s.count }), 'No segments yet (crm segment add NAME --where "…").');
  });
};
