import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { previewCampaign } from '../../services/campaigns/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId } from './options.js';

export const registerCampaignPreview: Register = (parent, context) => {
  const cmd = parent.command('preview').description('the message rendered for one recipient').addHelpText('after', examples('crm campaign preview 3', 'crm campaign preview 3 --contact 12')).argument('<id>').option('--contact <lead-id>', 'render for this lead (default: the first recipient)');
  outputFlags(cmd).action(async (raw: string, opts: { contact?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const contact = opts.contact === undefined ? undefined : Number(opts.contact);
    if (contact !== undefined && (!Number.isInteger(contact) || contact < 1)) throw new UsageError(`invalid --contact '${opts.contact}'`, 'a lead id (crm lead list)');
    const p = await previewCampaign(await ctx.services(), campaignId(raw), contact);
    if (opts.json) return printJson(ctx.io, { campaign: p.campaign.id, contact: p.contact, subject: p.subject, body: p.body, ...(p.sms ? { sms: p.sms } : {}) });
    ctx.io.out(`To: ${p.contact.name} <${p.contact.address ?? 'no address'}> (lead ${p.contact.id})`);
    if (p.subject !== null) ctx.io.out(`Subject: ${p.subject}`);
    ctx.io.out('');
    ctx.io.out(p.body.replace(/\n$/, ''));
    if (p.sms) ctx.io.hint(`SMS: ${p.sms.segments} segment(s), ${p.sms.units} ${p.sms.encoding} characters.`);
  });
};
