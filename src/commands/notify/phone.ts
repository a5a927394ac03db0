import { printJson } from '../../io/output.js';
import { setUserPhone } from '../../services/notify/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerNotifyPhone: Register = (parent, context) => {
  const cmd = parent.command('phone').description("set a user's mobile number for SMS and WhatsApp (empty to remove)").addHelpText('after', examples('crm notify phone ravi@acme.example "+91 98765 43210"', 'crm notify phone ravi@acme.example ""')).argument('<email>').argument('<phone>');
  outputFlags(cmd).action(async (email: string, phone: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await setUserPhone(await ctx.services(), email, phone);
    if (opts.json) return printJson(ctx.io, r);
    ctx.io.out(r.phone ? `${r.user}: ${r.phone}` : `${r.user}: no phone`);
  });
};
