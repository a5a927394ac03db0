import { examples, type Register } from '../shared.js';
import { registerPortalInvite } from './invite.js';
import { registerPortalRevoke } from './revoke.js';
import { registerPortalSessions } from './sessions.js';
import { registerPortalSet, registerPortalShow } from './settings.js';

export const registerPortal: Register = (program, context) => {
  const portal = program
    .command('portal')
    .description('the customer portal: invite contacts by email link, its settings, sessions, revoke access')
    .addHelpText('after', examples('crm portal set --on', 'crm portal invite person:3', 'crm portal revoke 12'));
  for (const r of [registerPortalInvite, registerPortalShow, registerPortalSet, registerPortalSessions, registerPortalRevoke]) r(portal, context);
};
