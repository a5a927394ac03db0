import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { NotFoundError, UsageError } from '../../errors.js';
import { printJson, printList, printRecord } from '../../io/output.js';
import { createCampaign, listCampaigns, previewCampaign, showCampaign } from '../../services/campaigns/service.js';
import type { Campaign } from '../../store/types.js';
import { outputFlags, type Register } from '../shared.js';

const campaignJson = (c: Campaign & { recipients?: number }) => ({
  id: c.id, name: c.name, type: c.type, to: c.audience, tag: c.tag, subject: c.subject, body: c.body, status: c.status,
  recipients: c.recipients, createdBy: c.createdBy, createdAt: c.createdAt, sentAt: c.sentAt,
});

function id(raw: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`invalid campaign id '${raw}'`, 'ids are whole numbers (crm campaign list)');
  return n;
}

function readBody(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new NotFoundError(`no such body file '${file}'`, 'give the path of a text or Markdown file');
    throw new UsageError(`cannot read '${file}': ${(err as Error).message}`);
  }
}

export const registerCampaign: Register = (program, context) => {
  const campaign = program.command('campaign').description('campaigns (drafts): create, list, show, preview');

  outputFlags(
    campaign
      .command('create')
      .description('create a draft campaign (admins, managers, marketing)')
      .option('--name <name>', 'what the team calls it; {campaign_name} in the message')
      .option('--type <type>', 'email | sms | whatsapp', 'email')
      .option('--to <audience>', 'leads | customers | all | segment:NAME')
      .option('--tag <tag>', 'only contacts with this tag')
      .option('--subject <text>', 'email subject (tags allowed)')
      .option('--body-file <file>', 'the message; tags such as {contact_name} {business_name} {campaign_name}'),
  ).action(async (opts: { name?: string; type?: string; to?: string; tag?: string; subject?: string; bodyFile?: string; json?: boolean }, c: Command) => {
    const ctx = context(c);
    if (opts.bodyFile === undefined) throw new UsageError('a campaign needs --body-file', 'write the message in a file: --body-file offer.md');
    const created = await createCampaign(await ctx.services(), { ...opts, body: readBody(opts.bodyFile) });
    if (opts.json) printJson(ctx.io, { ...campaignJson(created), ...(created.sms ? { sms: created.sms } : {}) });
    else {
      ctx.io.out(`Created campaign ${created.id} (${created.name}, ${created.type} to ${created.audience}): a draft`);
      if (created.sms && created.sms.segments > 1) ctx.io.out(`The SMS body takes ${created.sms.segments} segments (${created.sms.units} ${created.sms.encoding} characters).`);
    }
  });

  outputFlags(campaign.command('list').alias('ls').description('list campaigns, newest first'), { quiet: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const rows = await listCampaigns(await ctx.services());
    const columns = [
      { header: 'ID', cell: (x: Campaign) => x.id },
      { header: 'NAME', cell: (x: Campaign) => x.name },
      { header: 'TYPE', cell: (x: Campaign) => x.type },
      { header: 'TO', cell: (x: Campaign) => (x.tag ? `${x.audience} tag:${x.tag}` : x.audience) },
      { header: 'STATUS', cell: (x: Campaign) => x.status },
    ];
    await printList(ctx.io, opts, rows, columns, campaignJson, 'No campaigns yet (crm campaign create …).');
  });

  outputFlags(campaign.command('show').description('a campaign and how many recipients it has now').argument('<id>')).action(async (raw: string, opts: { json?: boolean }, c: Command) => {
    const ctx = context(c);
    const x = await showCampaign(await ctx.services(), id(raw));
    if (opts.json) return printJson(ctx.io, campaignJson(x));
    await printRecord(ctx.io, `Campaign ${x.id}: ${x.name}`, [
      ['Type', x.type],
      ['To', x.tag ? `${x.audience} (tag ${x.tag})` : x.audience],
      ['Status', x.status],
      ['Recipients', x.recipients],
      ['Subject', x.subject],
      ['Created', `${x.createdAt.slice(0, 16).replace('T', ' ')}${x.createdBy ? ` by ${x.createdBy}` : ''}`],
    ]);
    ctx.io.out('');
    ctx.io.out(x.body.replace(/\n$/, ''));
  });

  outputFlags(campaign.command('preview').description('the message rendered for one recipient').argument('<id>').option('--contact <lead-id>', 'render for this lead (default: the first recipient)')).action(
    async (raw: string, opts: { contact?: string; json?: boolean }, c: Command) => {
      const ctx = context(c);
      const contact = opts.contact === undefined ? undefined : Number(opts.contact);
      if (contact !== undefined && (!Number.isInteger(contact) || contact < 1)) throw new UsageError(`invalid --contact '${opts.contact}'`, 'a lead id (crm lead list)');
      const p = await previewCampaign(await ctx.services(), id(raw), contact);
      if (opts.json) return printJson(ctx.io, { campaign: p.campaign.id, contact: p.contact, subject: p.subject, body: p.body, ...(p.sms ? { sms: p.sms } : {}) });
      ctx.io.out(`To: ${p.contact.name} <${p.contact.address ?? 'no address'}> (lead ${p.contact.id})`);
      if (p.subject !== null) ctx.io.out(`Subject: ${p.subject}`);
      ctx.io.out('');
      ctx.io.out(p.body.replace(/\n$/, ''));
      if (p.sms) ctx.io.hint(`SMS: ${p.sms.segments} segment(s), ${p.sms.units} ${p.sms.encoding} characters.`);
    },
  );
};
