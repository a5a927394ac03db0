import { examples, type Register } from '../shared.js';
import { registerCampaignCancel } from './cancel.js';
import { registerCampaignCreate } from './create.js';
import { registerCampaignEdit } from './edit.js';
import { registerCampaignList } from './list.js';
import { registerCampaignPreview } from './preview.js';
import { registerCampaignRecipients } from './recipients.js';
import { registerCampaignSend } from './send.js';
import { registerCampaignShow } from './show.js';
import { registerCampaignTest } from './test.js';

export const registerCampaign: Register = (program, context) => {
  const campaign = program.command('campaign').description('campaigns: create, edit, preview, test, send, cancel, show, recipients').addHelpText('after', examples('crm campaign create --name "Spring offer" --type email --to segment:hot-web --subject "An offer for {business_name}" --body-file spring.txt', 'crm campaign test 3', 'crm campaign send 3 --at "friday 09:00"'));
  for (const r of [
    registerCampaignCreate,
    registerCampaignList,
    registerCampaignShow,
    registerCampaignPreview,
    registerCampaignEdit,
    registerCampaignTest,
    registerCampaignSend,
    registerCampaignRecipients,
    registerCampaignCancel,
  ]) r(campaign, context);
};
