import type { Command } from 'commander';
import { formatMoney } from '../../io/format.js';
import { printJson, printRecord } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { showProposal } from '../../services/proposals/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { eventJson, itemLines, proposalJson, revisionJson } from './render.js';

export const registerProposalShow: Register = (parent, context) => {
  outputFlags(parent.command('show').description('a proposal: items, totals, revisions and history').addHelpText('after', examples('crm proposal show 4', 'crm proposal show 4 --json')).argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const v = await showProposal(await ctx.services(), parseId(raw, 'proposal'));
    const p = v.proposal;
    if (opts.json) return printJson(ctx.io, { ...proposalJson(p), revisions: v.revisions.map(revisionJson), history: v.events.map(eventJson) });
    await printRecord(ctx.io, `Proposal ${p.id}: ${p.subject}`, [
      ['Lead', `${p.leadId} ${p.leadName}${v.lead.emails[0] ? ` <${v.lead.emails[0]}>` : ''}`],
      ['Status', p.status],
      ['Revision', `${p.revision}`],
      ['Template', p.templateName],
      ['Valid until', p.validUntil ?? 'no expiry'],
      ['Total', p.items.length ? formatMoney(p.totalMinor, p.currency) : ''],
      ['Cc', p.cc.join(', ')],
      ['Bcc', p.bcc.join(', ')],
      ['Created', `${p.createdAt.slice(0, 16).replace('T', ' ')}${p.createdBy ? ` by ${p.createdBy}` : ''}`],
      ['Sent', p.sentAt ? p.sentAt.slice(0, 16).replace('T', ' ') : ''],
    ]);
    const lines = itemLines(p);
    if (lines.length) {
      ctx.io.out('');
      for (const l of lines) ctx.io.out(l);
    }
    ctx.io.out('');
    ctx.io.out('Revisions:');
    for (const r of v.revisions) {
      const total = r.items.length ? formatMoney(r.totalMinor, r.currency) : 'no items';
      ctx.io.out(`  ${r.revision}  ${r.createdAt.slice(0, 16).replace('T', ' ')}  ${total}  valid until ${r.validUntil ?? '-'}${r.sentAt ? `  sent ${r.sentAt.slice(0, 16).replace('T', ' ')}` : '  not sent'}${r.approvedBy ? `  approved by ${r.approvedBy}` : ''}`);
    }
    ctx.io.out('History:');
    for (const e of v.events) ctx.io.out(`  ${e.at.slice(0, 16).replace('T', ' ')}  rev ${e.revision}  ${e.event}${e.user ? ` by ${e.user}` : ''}${e.note ? `: ${e.note}` : ''}`);
  });
};
