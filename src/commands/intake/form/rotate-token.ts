import { printJson } from '../../../io/output.js';
import { rotateFormToken } from '../../../services/intake/forms.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { where } from '../options.js';
import { printToken } from '../render.js';

export const registerIntakeFormRotateToken: Register = (form, context) => {
  const cmd = form.command('rotate-token').description('a new token for the form (shown once); the old one stops working').addHelpText('after', examples('crm intake form rotate-token contact')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const v = await rotateFormToken(await ctx.services(), where(ctx), name);
    if (opts.json) return printJson(ctx.io, v);
    ctx.io.out(`New token for intake form ${v.name}`);
    printToken(ctx, v);
  });
};
