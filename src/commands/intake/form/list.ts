import { printList } from '../../../io/output.js';
import { listForms } from '../../../services/intake/forms.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { where } from '../options.js';
import { formColumns } from '../render.js';

export const registerIntakeFormList: Register = (form, context) => {
  const cmd = form.command('list').alias('ls').description('the forms, their endpoints and settings').addHelpText('after', examples('crm intake form list', 'crm intake form list --json'));
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: { json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const rows = (await listForms(await ctx.services(), where(ctx))).map((f) => ({ ...f, id: f.name }));
    await printList(ctx.io, opts, rows, formColumns, ({ id: _id, ...f }) => f, 'No intake forms yet (crm intake form add website).');
  });
};
