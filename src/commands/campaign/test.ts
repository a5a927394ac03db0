import { printJson } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId, linkBase, sendService } from './options.js';

export const registerCampaignTest: Register = (parent, context) => {
  const cmd = parent.command('test').description('send the campaign to yourself only (your email, or the phone from crm notify phone), marked as a test').addHelpText('after', examples('crm campaign test 3')).argument('<id>');
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await (await sendService()).testCampaign(await ctx.services(), campaignId(raw), { env: ctx.env, linkBase: await linkBase(ctx) });
    if (opts.json) return printJson(ctx.io, { campaign: r.campaign.id, test: true, to: r.address, key: r.key, renderedFor: r.contact });
    ctx.io.out(`Queued a test of campaign ${r.campaign.id} to ${r.address}${r.contact ? ` (rendered for ${r.contact.name}, lead ${r.contact.id})` : ''}; the campaign is still ${r.campaign.status}`);
    ctx.io.hint('The daemon delivers it (crm daemon start).');
  });
};
