import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { addSegment, listSegments, removeSegment, segmentLeads, showSegment, type SegmentView } from '../../services/segments/service.js';
import type { Segment } from '../../domain/campaigns.js';
import { leadColumns, leadJson } from '../lead/render.js';
import { outputFlags, type Register } from '../shared.js';

const segmentJson = (s: Segment & { count?: number }) => ({ id: s.id, name: s.name, where: s.where, count: s.count, createdBy: s.createdBy, createdAt: s.createdAt });

export const registerSegment: Register = (program, context) => {
  const segment = program.command('segment').description('segments: saved lead filters (add, list, show, count, remove)');

  outputFlags(
    segment
      .command('add')
      .description('save a filter under a name (admins, managers, marketing)')
      .argument('<name>')
      .option('--where <filter>', 'e.g. "source in (Website, Google Ads) and score>=60 and stage!=Lost"'),
  ).action(async (name: string, opts: { where?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const seg = await addSegment(await ctx.services(), { name, where: opts.where });
    if (opts.json) printJson(ctx.io, segmentJson(seg));
    else ctx.io.out(`Added segment ${seg.name} (${seg.count} matching now)`);
  });

  outputFlags(segment.command('list').alias('ls').description('list segments with how many of your leads match each'), { quiet: true }).action(
    async (opts: { json?: boolean; quiet?: boolean }, c: Command) => {
      const ctx = context(c);
      const rows = await listSegments(await ctx.services());
      const columns = [
        { header: 'ID', cell: (s: SegmentView) => s.id },
        { header: 'NAME', cell: (s: SegmentView) => s.name },
        { header: 'COUNT', cell: (s: SegmentView) => (s.count < 0 ? 'invalid' : s.count) },
        { header: 'WHERE', cell: (s: SegmentView) => s.where },
      ];
      await printList(ctx.io, opts, rows, columns, (s) => segmentJson({ ...s, count: s.count < 0 ? undefined : s.count }), 'No segments yet (crm segment add NAME --where "…").');
    },
  );

  outputFlags(segment.command('show').description('a segment, its filter and the leads it matches').argument('<name>').option('--limit <n>', 'at most n leads', '20')).action(
    async (name: string, opts: { json?: boolean; limit: string }, c: Command) => {
      const ctx = context(c);
      const svc = await ctx.services();
      const seg = await showSegment(svc, name);
      const limit = Number(opts.limit);
      if (!Number.isInteger(limit) || limit < 0) throw new UsageError(`invalid --limit '${opts.limit}'`, 'a whole number ≥ 0 (0: only the count)');
      const leads = await segmentLeads(svc, seg.name, { limit });
      if (opts.json) {
        printJson(ctx.io, { ...segmentJson(seg), leads: leads.map(leadJson) });
        return;
      }
      await printRecord(ctx.io, `Segment ${seg.name}`, [
        ['Where', seg.where],
        ['Matching', seg.count],
        ['Created', `${seg.createdAt.slice(0, 16).replace('T', ' ')}${seg.createdBy ? ` by ${seg.createdBy}` : ''}`],
      ]);
      if (leads.length) {
        ctx.io.out('');
        await printList(ctx.io, { limit }, leads, leadColumns, leadJson);
      }
    },
  );

  outputFlags(segment.command('count').description('how many of your leads match a segment').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const seg = await showSegment(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, { name: seg.name, count: seg.count });
    else ctx.io.out(String(seg.count));
  });

  outputFlags(segment.command('remove').alias('rm').description('remove a segment (admins, managers, marketing)').argument('<name>')).action(
    async (name: string, opts: { json?: boolean }, c: Command) => {
      const ctx = context(c);
      const seg = await removeSegment(await ctx.services(), name);
      if (opts.json) printJson(ctx.io, segmentJson(seg));
      else ctx.io.out(`Removed segment ${seg.name}`);
    },
  );
};
