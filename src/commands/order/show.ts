import type { Command } from 'commander';
import { printJson, printRecord } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { showOrder } from '../../services/orders/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { viewJson, viewLines } from './render.js';

export const registerOrderShow: Register = (parent, context) => {
  outputFlags(parent.command('show').description('an order: lines, taxes by rate, totals, invoice and payments').addHelpText('after', examples('crm order show 7', 'crm order show 7 --json')).argument('<id>'))
    .action(async (raw: string, opts: { json?: boolean }, c: Command) => {
      const ctx = context(c);
      const v = await showOrder(await ctx.services(), parseId(raw, 'order'));
      if (opts.json) return printJson(ctx.io, viewJson(v));
      const t = viewLines(v);
      await printRecord(ctx.io, t.title, t.fields);
      for (const l of t.lines) ctx.io.out(l);
    });
};
