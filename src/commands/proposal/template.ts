import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { UsageError } from '../../errors.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { addTemplate, findTemplate, listTemplates, removeTemplate } from '../../services/proposals/service.js';
import { collect, confirmed, examples, outputFlags, repeat, type Register } from '../shared.js';
import type { ProposalTemplate } from '../../domain/proposals.js';
import { templateColumns, templateJson } from './render.js';

function readBody(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read the body file '${file}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`, 'give the path of a text or Markdown file');
  }
}

export const registerProposalTemplate: Register = (parent, context) => {
  const template = parent.command('template').description('proposal templates: subject, body, cc/bcc, attachments').addHelpText('after', examples('crm proposal template add --name standard --subject "Your quotation, {business_name}" --body-file proposal.txt', 'crm proposal template list'));
  outputFlags(
    template.command('add').description('add a template (admins, managers, marketing)').addHelpText('after', examples('crm proposal template add --name standard --subject "Your quotation, {business_name}" --body-file proposal.txt --attach brochure.pdf', 'crm proposal template add --name partner --subject "Partner pricing" --body-file partner.txt --cc meera@acme.example'))
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

  outputFlags(template.command('list').alias('ls').description('list templates').addHelpText('after', examples('crm proposal template list', 'crm proposal template list --json')), { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    await printList(ctx.io, opts, await listTemplates({ store: await ctx.store() }), templateColumns, templateJson, 'No proposal templates yet (crm proposal template add …).');
  });

  outputFlags(template.command('show').description('a template: subject, cc/bcc, attachments, body').addHelpText('after', examples('crm proposal template show standard')).argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
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

  outputFlags(template.command('remove').alias('rm').description('remove a template (sent proposals keep their text)').addHelpText('after', examples('crm proposal template remove standard')).argument('<name>')).action(async (name: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove proposal template ${name}?`))) return;
    const t = await removeTemplate(await ctx.services(), name);
    if (opts.json) printJson(ctx.io, templateJson(t));
    else ctx.io.out(`Removed proposal template ${t.name}`);
  });
};
