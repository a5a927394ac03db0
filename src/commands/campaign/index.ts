import type { Register } from '../shared.js';
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
  const campaign = program.command('campaign').description('campaigns: create, edit, preview, test, send, cancel, show, recipients');
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
