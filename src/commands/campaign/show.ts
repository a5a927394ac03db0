import { printJson, printRecord } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId, sendService } from './options.js';
import { campaignJson, when } from './render.js';

export const registerCampaignShow: Register = (parent, context) => {
  const cmd = parent.command('show').description('a campaign and its recipients: counts per message state once sent').addHelpText('after', examples('crm campaign show 3')).argument('<id>');
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await sendService();
    const x = await svc.campaignReport(await ctx.services(), campaignId(raw));
    if (opts.json) return printJson(ctx.io, campaignJson(x));
    const p = x.progress;
    await printRecord(ctx.io, `Campaign ${x.id}: ${x.name}`, [
      ['Type', x.type],
      ['To', x.tag ? `${x.audience} (tag ${x.tag})` : x.audience],
      ['Status', x.status],
      ['Recipients', p ? x.recipients : `${x.recipients} (if sent now)`],
      ...(p
        ? ([
            ['Queued', p.queued],
            ['Waiting', p.pending + p.sending],
            ['Sent', p.sent],
            ['Failed', p.failed + p.dead ? `${p.dead} for good, ${p.failed} retrying` : 0],
            ['Cancelled', p.cancelled || null],
            ['Opted out', p.optedOut],
            ['Bounced', p.bounced],
            ['No address', p.noAddress],
            ['No consent', p.noConsent || null],
            ['Send at', when(x.sendAt)],
            ['Rate', x.rate === null ? null : svc.formatRate(x.rate)],
            ['Sent at', when(x.sentAt)],
          ] as [string, string | number | null][])
        : []),
      ['Subject', x.subject],
      ['Created', `${x.createdAt.slice(0, 16).replace('T', ' ')}${x.createdBy ? ` by ${x.createdBy}` : ''}`],
    ]);
    ctx.io.out('');
    ctx.io.out(x.body.replace(/\n$/, ''));
  });
};
