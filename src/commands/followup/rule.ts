import { printJson, printList } from '../../io/output.js';
import { addRule, listRules, runRules } from '../../services/followups/rules.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { ruleJson } from './render.js';

/** F4 advance rules: `followup rule add | list | run`. */
export const registerFollowUpRule: Register = (parent, context) => {
  const rule = parent.command('rule').description('advance follow-ups: one per contact matching a rule').addHelpText('after', examples('crm followup rule list', 'crm followup rule run --dry-run'));
  const add = rule
    .command('add')
    .description('add a rule (admins and managers)').addHelpText('after', examples('crm followup rule add --name stale-qualified --where "stage=Qualified and no-activity>14d" --title "Check in" --type call --assign owner'))
    .option('--name <name>', 'rule name')
    .option('--where <conditions>', 'e.g. "stage=Qualified and no-activity>14d" or "invoice-overdue>14d"; fields: stage, source, tag, score, no-activity, invoice-overdue (one follow-up per overdue invoice)')
    .option('--title <text>', 'title of the follow-ups it creates')
    .option('--type <type>', 'call | sms | meeting | email', 'call')
    .option('--priority <p>', 'low | medium | high | urgent', 'medium')
    .option('--assign <who>', '"owner" (the lead’s assignees) or user emails', collect)
    .option('--due-in <d>', 'start this long after the run (default 0)')
    .option('--duration <d>', 'length of each follow-up (default 30m)');
  outputFlags(add).action(async (opts: { name?: string; where?: string; title?: string; type?: string; priority?: string; assign?: string[]; dueIn?: string; duration?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const r = await addRule(svc, opts);
    if (opts.json) printJson(ctx.io, ruleJson(r));
    else ctx.io.out(`Added rule ${r.id}: ${r.name} (${r.where})`);
  });
  outputFlags(rule.command('list').alias('ls').description('list rules').addHelpText('after', examples('crm followup rule list', 'crm followup rule list --json'))).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rules = await listRules(await ctx.services());
    await printList(ctx.io, opts, rules, [
      { header: 'ID', cell: (r) => r.id },
      { header: 'NAME', cell: (r) => r.name },
      { header: 'WHERE', cell: (r) => r.where },
      { header: 'TITLE', cell: (r) => r.title },
      { header: 'TYPE', cell: (r) => r.type },
      { header: 'ASSIGN', cell: (r) => (r.assign === 'owner' ? 'owner' : r.assign.join(',')) },
    ], ruleJson, 'No rules.');
  });
  const run = rule
    .command('run')
    .description('create the follow-ups of every rule (or one) for matching contacts; never twice').addHelpText('after', examples('crm followup rule run --dry-run', 'crm followup rule run --name stale-qualified'))
    .option('--name <name>', 'only this rule')
    .option('--dry-run', 'show what would be created; write nothing');
  outputFlags(run).action(async (opts: { name?: string; dryRun?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const results = await runRules(await ctx.services(), opts);
    if (opts.json) {
      printJson(ctx.io, { dryRun: Boolean(opts.dryRun), rules: results });
      return;
    }
    for (const r of results) {
      const verb = opts.dryRun ? 'would create' : 'created';
      const made = r.created.some((x) => x.invoice)
        ? ` (invoices ${r.created.map((x) => `${x.invoice} of lead ${x.leadId}`).join(', ')})`
        : ` (leads ${r.created.map((x) => x.leadId).join(', ')})`;
      ctx.io.out(`${r.rule}: ${r.matched.length} matching, ${verb} ${r.created.length}${r.created.length ? made : ''}, ${r.alreadyDone.length} already had one`);
    }
    if (!results.length) ctx.io.hint('No rules; add one with crm followup rule add');
  });
};
