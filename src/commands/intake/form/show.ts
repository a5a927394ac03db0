import { printJson } from '../../../io/output.js';
import { showForm } from '../../../services/intake/forms.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { where } from '../options.js';
import { printForm } from '../render.js';

export const registerIntakeFormShow: Register = (form, context) => {
  const cmd = form.command('show').description("a form's endpoint and settings (never its token)").addHelpText('after', examples('crm intake form show contact')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const v = await showForm(await ctx.services(), where(ctx), name);
    if (opts.json) return printJson(ctx.io, v);
    await printForm(ctx, v);
  });
};
