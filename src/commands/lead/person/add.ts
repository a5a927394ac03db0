import type { Command } from 'commander';
import { printJson } from '../../../io/output.js';
import { parseId } from '../../../services/leads/normalize.js';
import { addPerson } from '../../../services/leads/persons.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { personJson, personLine } from './render.js';

export const registerPersonAdd: Register = (parent, context) => {
  outputFlags(
    parent.command('add').description('add a contact person to a company lead or customer (at most lead.max-persons)').addHelpText('after', examples(
      'crm lead person add 12 --name "Rui Costa" --role CFO --email rui@sousa.example --phone "+351 912 345 678"',
      'crm lead person add 12 --name "Eva Lima" --commission 2.5 --portal',
    )).argument('<lead>', 'lead or customer id')
      .option('--name <name>', 'full name')
      .option('--email <email>', 'email address')
      .option('--phone <phone>', 'phone number (normalised as lead phones are)')
      .option('--role <role>', 'their role, e.g. CFO, buyer')
      .option('--commission <pct>', 'commission in %')
      .option('--portal', 'may use the customer portal'),
    { quiet: true },
  ).action(async (raw: string, opts: { name?: string; email?: string; phone?: string; role?: string; commission?: string; portal?: boolean; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const p = await addPerson(await ctx.services(), parseId(raw, 'lead'), opts);
    if (opts.json) printJson(ctx.io, personJson(p));
    else if (opts.quiet) ctx.io.out(String(p.id));
    else ctx.io.out(`Added contact person to lead ${p.leadId}: ${personLine(p)}`);
  });
};
