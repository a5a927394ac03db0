import { printList } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { sendService } from './options.js';
import { campaignColumns, campaignJson } from './render.js';

export const registerCampaignList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('list campaigns, newest first').addHelpText('after', examples('crm campaign list', 'crm campaign list --json'));
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const rows = await (await sendService()).listCampaignsSettled(await ctx.services());
    await printList(ctx.io, opts, rows, campaignColumns, campaignJson, 'No campaigns yet (crm campaign create …).');
  });
};
