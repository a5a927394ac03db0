import { printList } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId, sendService } from './options.js';
import { recipientColumns, recipientJson } from './render.js';

export const registerCampaignRecipients: Register = (parent, context) => {
  const cmd = parent
    .command('recipients')
    .description('who a sent campaign went to, and the state of each message').addHelpText('after', examples('crm campaign recipients 3 --status failed', 'crm campaign recipients 3 --format csv > recipients.csv'))
    .argument('<id>')
    .option('--status <status>', 'only: pending, sending, sent, failed, dead, cancelled, opted-out, bounced, no-address, no-consent');
  outputFlags(cmd, { quiet: true, list: true }).action(async (raw: string, opts: { status?: string; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const r = await (await sendService()).campaignRecipients(await ctx.services(), campaignId(raw), { status: opts.status });
    const rows = r.recipients.map((x) => ({ ...x, id: x.leadId }));
    const none = r.campaign.status === 'draft' ? `Campaign ${r.campaign.id} is a draft: no recipients yet (crm campaign show ${r.campaign.id} counts its audience).` : 'No recipients match.';
    await printList(ctx.io, opts, rows, recipientColumns, recipientJson, none);
  });
};
