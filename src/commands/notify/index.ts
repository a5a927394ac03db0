import { printJson, printList } from '../../io/output.js';
import { UsageError } from '../../errors.js';
import { listRules, setOptOut, setRule, setUserPhone, type RuleView } from '../../services/notify/service.js';
import { collect, outputFlags, type Register } from '../shared.js';

const ruleJson = (r: RuleView) => ({ id: r.id, on: r.on, to: r.to, channels: r.channels, unconfiguredChannels: r.unconfigured, event: r.event, template: r.template, description: r.description });

export const registerNotify: Register = (program, context) => {
  const notify = program.command('notify').description('notification rules, opt-outs and phone numbers (N4)');
  outputFlags(notify.command('rules').description('list the rules: on/off, recipients, channels')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listRules(await ctx.services());
    await printList(ctx.io, opts, rows, [
      { header: 'RULE', cell: (r) => r.id },
      { header: 'ON', cell: (r) => (r.on ? 'on' : 'off') },
      { header: 'TO', cell: (r) => r.to.join(',') },
      { header: 'CHANNELS', cell: (r) => r.channels.map((ch) => (r.unconfigured.includes(ch) ? `${ch}(not configured)` : ch)).join(',') },
      { header: 'WHEN', cell: (r) => r.description },
    ], ruleJson);
  });
  outputFlags(
    notify.command('set').description('switch a rule, change its recipients or channels (admins)').argument('<rule>')
      .option('--on', 'switch it on').option('--off', 'switch it off')
      .option('--channels <list>', 'email, sms, whatsapp, inbox, webhook (comma-separated)', collect)
      .option('--to <list>', 'rep, admins, managers, client (comma-separated)', collect),
  ).action(async (rule: string, opts: { on?: boolean; off?: boolean; channels?: string[]; to?: string[]; json?: boolean }, c) => {
    const ctx = context(c);
    if (opts.on && opts.off) throw new UsageError('--on and --off together', 'give one of them');
    const r = await setRule(await ctx.services(), rule, { on: opts.on ? true : opts.off ? false : undefined, channels: opts.channels, to: opts.to });
    if (opts.json) return printJson(ctx.io, ruleJson(r));
    ctx.io.out(`${r.id}: ${r.on ? 'on' : 'off'}, to ${r.to.join(',') || 'nobody'} by ${r.channels.join(',') || 'no channel'}`);
    if (r.unconfigured.length) ctx.io.hint(`not configured, skipped: ${r.unconfigured.join(', ')} (see crm config list and crm doctor)`);
  });
  for (const [verb, out] of [['opt-out', true], ['opt-in', false]] as const) {
    outputFlags(
      notify.command(verb).description(out ? 'stop notifications on channels for you, a user (admins) or a lead contact' : 'undo an opt-out')
        .requiredOption('--channel <list>', 'email, sms, whatsapp, inbox, webhook (comma-separated)', collect)
        .option('--user <email>', 'this user (default: you)').option('--lead <id>', "this lead's contact"),
    ).action(async (opts: { channel: string[]; user?: string; lead?: string; json?: boolean }, c) => {
      const ctx = context(c);
      const lead = opts.lead !== undefined ? Number(opts.lead) : undefined;
      if (lead !== undefined && !Number.isInteger(lead)) throw new UsageError(`invalid --lead '${opts.lead}'`, 'a lead id');
      const r = await setOptOut(await ctx.services(), { user: opts.user, lead }, opts.channel, out);
      if (opts.json) return printJson(ctx.io, r);
      ctx.io.out(`${r.kind} ${r.name}: opted out of ${r.optedOut.join(', ') || 'nothing'}`);
    });
  }
  outputFlags(notify.command('phone').description("set a user's mobile number for SMS and WhatsApp (empty to remove)").argument('<email>').argument('<phone>')).action(async (email: string, phone: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const r = await setUserPhone(await ctx.services(), email, phone);
    if (opts.json) return printJson(ctx.io, r);
    ctx.io.out(r.phone ? `${r.user}: ${r.phone}` : `${r.user}: no phone`);
  });
};
