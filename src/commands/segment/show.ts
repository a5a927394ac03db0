import { printJson, printList, printRecord } from '../../io/output.js';
import { segmentLeads, showSegment } from '../../services/segments/service.js';
import { leadColumns, leadJson } from '../lead/render.js';
import { examples, outputFlags, pageOf, pageRows, type Register } from '../shared.js';
import { segmentJson } from './render.js';

export const registerSegmentShow: Register = (parent, context) => {
  const cmd = parent.command('show').description('a segment, its filter and the leads it matches').addHelpText('after', examples('crm segment show hot-web', 'crm segment show hot-web --all --json')).argument('<name>').option('--limit <n>', 'at most n leads, or all (default: 20 on a terminal; all when piped or with --json)').option('--all', 'every matching lead');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean; limit?: string; all?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const seg = await showSegment(svc, name);
    const page = pageOf(opts, ctx.io.isStdoutTTY, 20);
    // A broken segment is shown with why, not refused: its owner needs to see it to fix it.
    const shown = pageRows(seg.broken ? [] : await segmentLeads(svc, seg.name, { limit: page.limit === undefined ? undefined : page.limit + (page.paged ? 1 : 0) }), page, seg.count);
    const leads = shown.rows;
    if (opts.json) {
      printJson(ctx.io, { ...segmentJson({ ...seg, count: seg.broken ? undefined : seg.count }), leads: leads.map(leadJson) });
      return;
    }
    await printRecord(ctx.io, `Segment ${seg.name}`, [
      ['Where', seg.where],
      ['Matching', seg.broken ? `broken: ${seg.broken}` : seg.count],
      ['Created', `${seg.createdAt.slice(0, 16).replace('T', ' ')}${seg.createdBy ? ` by ${seg.createdBy}` : ''}`],
    ]);
    if (leads.length) {
      ctx.io.out('');
      await printList(ctx.io, { footer: shown.footer }, leads, leadColumns, leadJson);
    }
  });
};
