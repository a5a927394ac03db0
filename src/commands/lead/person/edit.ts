import type { Command } from 'commander';
import { printJson } from '../../../io/output.js';
import { parseId } from '../../../services/leads/normalize.js';
import { editPerson } from '../../../services/leads/persons.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { personJson, personLine } from './render.js';

export const registerPersonEdit: Register = (parent, context) => {
  outputFlags(
    parent.command('edit').description('change a contact person (an empty value clears email, phone, role or commission)').addHelpText('after', examples('crm lead person edit 3 --role "Head of purchasing" --portal', 'crm lead person edit 3 --no-portal --phone ""'))
      .argument('<person>', 'contact person id (see crm lead person list)')
      .option('--name <name>', 'full name')
      .option('--email <email>', 'email address')
      .option('--phone <phone>', 'phone number')
      .option('--role <role>', 'their role')
      .option('--commission <pct>', 'commission in %')
      .option('--portal', 'may use the customer portal')
      .option('--no-portal', 'may not use the customer portal'),
  ).action(async (raw: string, opts: { name?: string; email?: string; phone?: string; role?: string; commission?: string; portal?: boolean; json?: boolean }, c: Command) => {
    const ctx = context(c);
    const p = await editPerson(await ctx.services(), parseId(raw, 'contact person'), opts);
    if (opts.json) printJson(ctx.io, personJson(p));
    else ctx.io.out(`Contact person ${personLine(p)}`);
  });
};
