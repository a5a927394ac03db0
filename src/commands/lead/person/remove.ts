import type { Command } from 'commander';
import { printJson } from '../../../io/output.js';
import { parseId } from '../../../services/leads/normalize.js';
import { removePerson } from '../../../services/leads/persons.js';
import { examples, outputFlags, type Register } from '../../shared.js';
import { personJson } from './render.js';

export const registerPersonRemove: Register = (parent, context) => {
  outputFlags(parent.command('remove').alias('rm').description('remove a contact person (the timeline keeps that they were)').addHelpText('after', examples('crm lead person remove 3')).argument('<person>', 'contact person id'))
    .action(async (raw: string, opts: { json?: boolean }, c: Command) => {
      const ctx = context(c);
      const p = await removePerson(await ctx.services(), parseId(raw, 'contact person'));
      if (opts.json) printJson(ctx.io, personJson(p));
      else ctx.io.out(`Removed contact person ${p.name} from lead ${p.leadId}`);
    });
};
