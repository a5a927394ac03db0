import { printJson } from '../../io/output.js';
import { invite } from '../../services/portal/service.js';
import { linkBase } from '../campaign/options.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerPortalInvite: Register = (parent, context) => {
  const cmd = parent
    .command('invite')
    .description('email a contact a single-use sign-in link to the portal (a lead\'s email, or a contact person with portal access)')
    .addHelpText('after', examples('crm portal invite 12', 'crm portal invite person:3', 'crm portal invite rui@sousa.example'))
    .argument('<lead-or-person>', 'a lead or customer id, person:ID (see crm lead person list), or an email');
  outputFlags(cmd).action(async (ref: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await invite(await ctx.services(), ref, await linkBase(ctx));
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Sign-in link for ${r.name} <${r.email}> queued (valid until ${r.expiresAt}; the daemon sends it)`);
  });
};
