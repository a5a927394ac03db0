import type { Command } from 'commander';
import { printJson } from '../../io/output.js';
import { formatMoney } from '../../io/format.js';
import { parseId } from '../../services/leads/normalize.js';
import { addOrder } from '../../services/orders/service.js';
import { examples, outputFlags, repeat, type Register } from '../shared.js';
import { orderJson } from './render.js';

export const ITEM_HELP = 'a line: "DESCRIPTION; qty=2; price=19.99; discount=10; tax=23; inclusive" (repeatable)';
export const PRODUCT_HELP = 'a catalogue line: "NAME" or "NAME; qty=2; discount=10" (repeatable)';

export const registerOrderAdd: Register = (parent, context) => {
  outputFlags(
    parent.command('add').description("a draft order for a lead, in the lead's currency").addHelpText('after', examples(
      'crm order add --lead 12 --item "Installation; price=250; tax=23"',
      'crm order add --lead 12 --product Widget --product "Cable; qty=3" --title "Office fit-out"',
    ))
      .option('--lead <id>', 'the lead or customer')
      .option('--item <line>', ITEM_HELP, repeat)
      .option('--product <line>', PRODUCT_HELP, repeat)
      .option('--title <text>', 'a title (default: the first line)'),
    { quiet: true },
  ).action(async (opts: { lead?: string; item?: string[]; product?: string[]; title?: string; json?: boolean; quiet?: boolean }, c: Command) => {
    const ctx = context(c);
    const o = await addOrder(await ctx.services(), { lead: opts.lead === undefined ? undefined : parseId(opts.lead, 'lead'), items: opts.item, products: opts.product, title: opts.title });
    if (opts.json) printJson(ctx.io, orderJson(o));
    else if (opts.quiet) ctx.io.out(String(o.id));
    else ctx.io.out(`Added order ${o.id} for lead ${o.leadId} (${o.leadName}): ${o.title}, ${formatMoney(o.totalMinor, o.currency)} (draft; bill it with crm order bill ${o.id})`);
  });
};
