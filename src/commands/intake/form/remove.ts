import { printJson } from '../../../io/output.js';
import { removeForm } from '../../../services/intake/forms.js';
import { confirmed, examples, outputFlags, type Register } from '../../shared.js';

export const registerIntakeFormRemove: Register = (form, context) => {
  const cmd = form.command('remove').alias('rm').description('remove a form: its endpoint answers 404 from now on').addHelpText('after', examples('crm intake form remove contact')).argument('<name>');
  outputFlags(cmd).action(async (name: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    if (!(await confirmed(ctx, `Remove intake form ${name}? Its URL stops accepting submissions`))) return;
    const r = await removeForm(await ctx.services(), name);
    if (opts.json) return printJson(ctx.io, { ...r, removed: true });
    ctx.io.out(`Removed intake form ${r.name}`);
  });
};
