import { printJson } from '../../io/output.js';
import { editCampaign } from '../../services/campaigns/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { campaignId, readBody, type CampaignFieldFlags } from './options.js';
import { campaignJson } from './render.js';

export const registerCampaignEdit: Register = (parent, context) => {
  const cmd = parent
    .command('edit')
    .description('change a draft (a scheduled, sending or sent campaign cannot change)').addHelpText('after', examples('crm campaign edit 3 --subject "Last days: {campaign_name}" --body-file spring-v2.txt', 'crm campaign edit 3 --to segment:hot-web'))
    .argument('<id>')
    .option('--name <name>', 'new name')
    .option('--type <type>', 'email | sms | whatsapp')
    .option('--to <audience>', 'leads | customers | all | segment:NAME')
    .option('--tag <tag>', 'only contacts with this tag (empty: any)')
    .option('--subject <text>', 'email subject (tags allowed)')
    .option('--body-file <file>', 'the new message');
  outputFlags(cmd).action(async (raw: string, opts: CampaignFieldFlags, c) => {
    const ctx = context(c);
    const { bodyFile, json, ...fields } = opts;
    const x = await editCampaign(await ctx.services(), campaignId(raw), { ...fields, body: readBody(bodyFile) });
    if (json) printJson(ctx.io, campaignJson(x));
    else ctx.io.out(`Updated campaign ${x.id} (${x.name}): still a draft`);
  });
};
