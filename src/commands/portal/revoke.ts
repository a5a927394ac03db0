import { printJson } from '../../io/output.js';
import { revoke } from '../../services/portal/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerPortalRevoke: Register = (parent, context) => {
  const cmd = parent.command('revoke')
    .description("end a lead's portal sessions and void its unused sign-in links (all its contacts), or one contact person's")
    .addHelpText('after', examples('crm portal revoke 12', 'crm portal revoke person:3'))
    .argument('<lead-or-person>', 'a lead or customer id, or person:ID');
  outputFlags(cmd).action(async (ref: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await revoke(await ctx.services(), ref);
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Ended ${r.sessionsEnded} portal session(s) of ${r.scope === 'person' ? `contact person ${r.personId}` : `lead ${r.leadId}`}; unused links voided`);
  });
};
