import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { formatMoney } from '../../io/format.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import {
  addTemplate, approveProposal, findTemplate, listProposals, listTemplates, markProposal, proposalPdf, removeTemplate, reviseProposal,
  sendProposal, showProposal, type SendResult,
} from '../../services/proposals/service.js';
import type { ProposalTemplate } from '../../store/types.js';
import { collect, outputFlags, repeat, type Register } from '../shared.js';
import { eventJson, itemLines, proposalColumns, proposalJson, revisionJson, templateColumns, templateJson } from './render.js';

function readBody(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the body file '${file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 'give the path of a text or Markdown file');
  }
}

const sentJson = (r: SendResult) => ({ ...proposalJson(r.proposal), outboxKey: r.outboxKey ?? null, movedTo: r.movedTo ?? null });

function sentLine(r: SendResult): string {
  const p = r.proposal;
  const total = p.items.length ? `, ${formatMoney(p.totalMinor, p.currency)}` : '';
  const what = `Proposal ${p.id} (revision ${p.revision}${total}) to lead ${p.leadId} ${p.leadName}`;
  if (p.status === 'draft') return `${what}: saved as a draft (send it with crm proposal send ${p.id})`;
  if (p.status === 'pending-approval') return `${what}: waits for approval (crm proposal approve ${p.id}, by a manager or admin)`;
  return `${what}: queued for email${p.cc.length ? ` (cc ${p.cc.join(', ')})` : ''}${r.movedTo ? `; lead moved to ${r.movedTo}` : ''}`;
}

export const registerProposal: Register = (program, context) => {
  const proposal = program.command('proposal').description('proposals and quotations: templates, send, track, approve, revise, PDF (P1, P2)');

  const template = proposal.command('template').description('proposal templates: subject, body, cc/bcc, attachments');
  outputFlags(
    template.command('add').description('add a template (admins, managers, marketing)')
      .option('--name <name>', 'what the team calls it')
      .option('--subject <text>', 'email subject; tags such as {business_name} {contact_name}')
      .option('--body-file <file>', 'the proposal text (also printed in the PDF); tags allowed')
      .option('--cc <emails>', 'copy to (repeatable or comma-separated)', collect)
      .option('--bcc <emails>', 'blind copy to (repeatable or comma-separated)', collect)
      .option('--attach <file>', 'a file mailed with every proposal (repeatable); stored in the store', repeat),
  ).action(async (opts: { name?: string; subject?: string; bodyFile?: string; cc?: string[]; bcc?: string[]; attach?: string[]; json?: boolean }, c: Command) => {
    const ctx = context(c);
    if (opts.bodyFile === undefined) throw new UsageError('a proposal template needs --body-file', 'write the proposal in a file: --body-file proposal.md');
    const t = await addTemplate(await ctx.services(), { ...opts, body: readBody(opts.bodyFile) });
    if (opts.json) printJson(ctx.io, templateJson(t));
    else ctx.io.out(`Added proposal template ${t.name} (${t.id})${t.attachments.length ? ` with ${t.attachments.length} attachment(s)` : ''}`);
  });

  outputFlags(template.command('list').alias('ls').description('list templates'), { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    await printList(ctx.io, opts, await listTemplates({ store: await ctx.store() }), templateColumns, templateJson, 'No proposal templates yet (crm proposal template add …).');
  });

  outputFlags(template.command('show').description('a template: subject, cc/bcc, attachments, body').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const t: ProposalTemplate = await findTemplate({ store: await ctx.store() }, name);
    if (opts.json) return printJson(ctx.io, templateJson(t));
    await printRecord(ctx.io, `Proposal template ${t.id}: ${t.name}`, [
      ['Subject', t.subject],
      ['Cc', t.cc.join(', ')],
      ['Bcc', t.bcc.join(', ')],
      ['Attachments', t.attachments.map((a) => `${a.filename} (${a.bytes} bytes)`).join(', ')],
      ['Created', `${t.createdAt.slice(0, 16).replace('T', ' ')}${t.createdBy ? ` by ${t.createdBy}` : ''}`],
    ]);
    ctx.io.out('');
    ctx.io.out(t.body);
  });

  outputFlags(template.command('remove').alias('rm').description('remove a template (sent proposals keep their text)').argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const t = await removeTemplate(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, templateJson(t));
    else ctx.io.out(`Removed proposal template ${t.name}`);
  });

  outputFlags(
    proposal.command('send').description('send a proposal to a lead by email (or send draft ID)').argument('[id]', 'a draft to send')
      .option('--lead <id>', 'the lead (it needs an email address)')
      .option('--template <name>', 'the template')
      .option('--cc <emails>', "copy to, instead of the template's (repeatable or comma-separated)", collect)
      .option('--bcc <emails>', "blind copy to, instead of the template's", collect)
      .option('--valid-until <date>', 'last valid day, YYYY-MM-DD (default: today + proposal.valid-days)')
      .option('--items <csv>', 'line items: description,quantity,unit_price,discount,tax')
      .option('--draft', 'store it as a draft; send it later with crm proposal send ID'),
  ).action(async (raw: string | undefined, opts: { lead?: string; template?: string; cc?: string[]; bcc?: string[]; validUntil?: string; items?: string; draft?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await sendProposal(await ctx.services(), {
      id: raw === undefined ? undefined : parseId(raw, 'proposal'), lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'),
      template: opts.template, cc: opts.cc, bcc: opts.bcc, validUntil: opts.validUntil, items: opts.items, draft: opts.draft,
    });
    if (opts.json) printJson(ctx.io, sentJson(r));
    else ctx.io.out(sentLine(r));
  });

  outputFlags(
    proposal.command('list').alias('ls').description('proposals, newest first')
      .option('--status <status>', 'draft, pending-approval, sent, viewed, accepted, rejected, expired (comma-separated)')
      .option('--lead <id>', 'of this lead')
      .option('--limit <n>', 'at most this many', '100'),
    { quiet: true },
  ).action(async (opts: { status?: string; lead?: string; limit: string; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const limit = Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1) throw new UsageError(`invalid --limit '${opts.limit}'`, 'a whole number, at least 1');
    const rows = await listProposals(await ctx.services(), { status: opts.status, lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'), limit });
    await printList(ctx.io, { ...opts, limit }, rows, proposalColumns, proposalJson, 'No proposals (crm proposal send --lead ID --template NAME).');
  });

  outputFlags(proposal.command('show').description('a proposal: items, totals, revisions and history').argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c: Command) => {
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

  outputFlags(
    proposal.command('pdf').description("write a proposal's PDF").argument('<id>')
      .option('-o, --output <file>', 'where to write it (default proposal-ID.pdf; - for stdout)')
      .option('--revision <n>', 'an earlier revision'),
  ).action(async (raw: string, opts: { output?: string; revision?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const revision = opts.revision === undefined ? undefined : parseId(opts.revision, 'revision');
    const r = await proposalPdf(await ctx.services(), parseId(raw, 'proposal'), revision);
    const file = opts.output ?? r.filename;
    if (file === '-') {
      if (opts.json) throw new UsageError('--json and -o - both write to stdout', 'write the PDF to a file with -o FILE');
      ctx.io.stdout.write(r.pdf);
      return;
    }
    try {
      writeFileSync(file, r.pdf);
    } catch (err) {
      throw new UsageError(`cannot write '${file}': ${(err as Error).message}`, 'pick a writable path with -o');
    }
    if (opts.json) printJson(ctx.io, { id: r.proposal.id, revision: r.proposal.revision, file, bytes: r.pdf.length });
    else ctx.io.out(`Wrote ${file} (proposal ${r.proposal.id}, revision ${r.proposal.revision}, ${r.pdf.length} bytes)`);
  });

  outputFlags(
    proposal.command('mark').description("record the client's answer: viewed, accepted or rejected").argument('<id>').argument('<status>', 'viewed | accepted | rejected')
      .option('--note <text>', 'why, what they said'),
  ).action(async (raw: string, status: string, opts: { note?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const p = await markProposal(await ctx.services(), parseId(raw, 'proposal'), status, opts.note);
    if (opts.json) printJson(ctx.io, proposalJson(p));
    else ctx.io.out(`Proposal ${p.id} marked ${p.status}`);
  });

  outputFlags(proposal.command('approve').description('approve and send a proposal waiting for approval (managers, admins)').argument('<id>').option('--note <text>', 'a note for the history')).action(
    async (raw: string, opts: { note?: string; json?: boolean }, c: Command) => {
      const ctx = context(c);
      const r = await approveProposal(await ctx.services(), parseId(raw, 'proposal'), opts.note);
      if (opts.json) printJson(ctx.io, sentJson(r));
      else ctx.io.out(`Approved. ${sentLine(r)}`);
    },
  );

  outputFlags(
    proposal.command('revise').description('make the next revision (the earlier ones are kept) and send it again').argument('<id>')
      .option('--items <csv>', 'new line items (default: the current ones)')
      .option('--valid-until <date>', 'new last valid day, YYYY-MM-DD')
      .option('--draft', 'keep the new revision as a draft'),
  ).action(async (raw: string, opts: { items?: string; validUntil?: string; draft?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const r = await reviseProposal(await ctx.services(), parseId(raw, 'proposal'), opts);
    if (opts.json) printJson(ctx.io, sentJson(r));
    else ctx.io.out(sentLine(r));
  });
};
