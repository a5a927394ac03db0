import { printJson } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId, sendService } from './options.js';
import { campaignJson } from './render.js';

export const registerCampaignCancel: Register = (parent, context) => {
  const cmd = parent.command('cancel').description('cancel a scheduled or sending campaign: messages not yet sent are not sent').addHelpText('after', examples('crm campaign cancel 3')).argument('<id>');
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await (await sendService()).cancelCampaign(await ctx.services(), campaignId(raw));
    if (opts.json) return printJson(ctx.io, { campaign: campaignJson(r.campaign), cancelled: r.cancelled });
    ctx.io.out(`Cancelled campaign ${r.campaign.id}: ${r.cancelled} message${r.cancelled === 1 ? '' : 's'} not sent`);
  });
};
