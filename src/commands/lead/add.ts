import { resolveTimeZone } from '../../services/time/parse.js';
import { printJson } from '../../io/output.js';
import { addLead } from '../../services/leads/service.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { leadFieldOptions, leadInputFromFlags, type LeadFieldFlags } from './options.js';
import { leadJson } from './render.js';

export const registerLeadAdd: Register = (parent, context) => {
  const cmd = leadFieldOptions(
    parent
      .command('add')
      .description('add a lead; a duplicate email/phone is refused, a lost or junk match is re-engaged').addHelpText('after', examples('crm lead add --name "Ana Sousa" --email ana@sousa.example --phone "+351 912 345 678" --source Website', 'crm lead add --name "Novak Motors" --kind company --value 12000 --expected-close "end of month" --tag vip', 'crm lead add --name "Li Wei" --email li@wei.example --route -q'))
      .option('--stage <stage>', 'pipeline stage (default: the first)')
      .option('--assign <email>', 'assign to user(s) (repeatable or comma-separated)', collect)
      .option('--route', 'without --assign: assign by the routing rules (crm routing list)'),
  );
  outputFlags(cmd, { quiet: true }).action(async (opts: LeadFieldFlags & { stage?: string; assign?: string[]; route?: boolean; json?: boolean; quiet?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const input = { ...leadInputFromFlags(opts), timeZone: resolveTimeZone(undefined, ctx.timeZone), stage: opts.stage, assign: opts.assign, route: opts.route ? { channel: 'manual' } : undefined };
    if (!input.name && !input.businessName) input.name = await ctx.prompter.text('--name', 'Lead name');
    const result = await addLead(svc, input);
    const routed = result.routed ? { rule: result.routed.rule, to: result.routed.user?.email ?? null } : undefined;
    if (opts.json) printJson(ctx.io, { outcome: result.outcome, reopenedFrom: result.reopenedFrom ?? null, lead: leadJson(result.lead), ...(routed ? { routed } : {}) });
    else if (opts.quiet) ctx.io.out(String(result.lead.id));
    else if (result.outcome === 're-engaged') {
      ctx.io.out(`Re-engaged lead ${result.lead.id}: ${result.lead.name} (was ${result.reopenedFrom!.status}, ${result.reopenedFrom!.stage}; now ${result.lead.stage})`);
    } else {
      ctx.io.out(`Added ${result.outcome === 'junk' ? 'junk ' : ''}lead ${result.lead.id}: ${result.lead.name} (${result.lead.stage})`);
      if (routed) ctx.io.out(routed.to ? `Routed to ${routed.to} (${routed.rule})` : 'No routing rule matched: unassigned');
    }
  });
};
