import type { Command } from 'commander';
import { printList } from '../../../io/output.js';
import { parseId } from '../../../services/leads/normalize.js';
import { listPersons } from '../../../services/leads/persons.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { personColumns, personJson } from './render.js';

export const registerPersonList: Register = (parent, context) => {
  outputFlags(parent.command('list').alias('ls').description("a lead's contact persons").addHelpText('after', examples('crm lead person list 12', 'crm lead person list 12 --json')).argument('<lead>', 'lead or customer id'), { quiet: true, list: true })
    .action(async (raw: string, opts: { json?: boolean; quiet?: boolean }, c: Command) => {
      const ctx = context(c);
      await printList(ctx.io, opts, await listPersons(await ctx.services(), parseId(raw, 'lead')), personColumns, personJson, 'No contact persons (crm lead person add LEAD --name NAME).');
    });
};
