import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { createCampaign } from '../../services/campaigns/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { readBody, type CampaignFieldFlags } from './options.js';
import { campaignJson } from './render.js';

export const registerCampaignCreate: Register = (parent, context) => {
  const cmd = parent
    .command('create')
    .description('create a draft campaign (admins, managers, marketing)').addHelpText('after', examples('crm campaign create --name "Spring offer" --type email --to segment:hot-web --subject "An offer for {business_name}" --body-file spring.txt', 'crm campaign create --name "Renewal reminder" --type sms --to customers --tag vip --body-file reminder.txt'))
    .option('--name <name>', 'what the team calls it; {campaign_name} in the message')
    .option('--type <type>', 'email | sms | whatsapp', 'email')
    .option('--to <audience>', 'leads | customers | all | segment:NAME')
    .option('--tag <tag>', 'only contacts with this tag')
    .option('--subject <text>', 'email subject (tags allowed)')
    .option('--body-file <file>', 'the message; tags such as {contact_name} {business_name} {campaign_name}');
  outputFlags(cmd).action(async (opts: CampaignFieldFlags, c) => {
    const ctx = context(c);
    if (opts.bodyFile === undefined) throw new UsageError('a campaign needs --body-file', 'write the message in a file: --body-file offer.md');
    const created = await createCampaign(await ctx.services(), { ...opts, body: readBody(opts.bodyFile) });
    if (opts.json) printJson(ctx.io, { ...campaignJson(created), ...(created.sms ? { sms: created.sms } : {}) });
    else {
      ctx.io.out(`Created campaign ${created.id} (${created.name}, ${created.type} to ${created.audience}): a draft`);
      if (created.sms && created.sms.segments > 1) ctx.io.out(`The SMS body takes ${created.sms.segments} segments (${created.sms.units} ${created.sms.encoding} characters).`);
    }
  });
};
