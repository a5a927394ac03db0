import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { setRule } from '../../services/notify/service.js';
import { collect, examples, outputFlags, type Register } from '../shared.js';
import { ruleJson } from './render.js';

export const registerNotifySet: Register = (parent, context) => {
  const cmd = parent
    .command('set')
    .description('switch a rule, change its recipients or channels (admins)').addHelpText('after', examples('crm notify set new-lead --channels inbox,email --to rep,managers', 'crm notify set junk-lead --on'))
    .argument('<rule>')
    .option('--on', 'switch it on')
    .option('--off', 'switch it off')
    .option('--channels <list>', 'email, sms, whatsapp, inbox, webhook (comma-separated)', collect)
    .option('--to <list>', 'rep, admins, managers, client (comma-separated)', collect);
  outputFlags(cmd).action(async (rule: string, opts: { on?: boolean; off?: boolean; channels?: string[]; to?: string[]; json?: boolean }, c) => {
    const ctx = context(c);
    if (opts.on && opts.off) throw new UsageError('--on and --off together', 'give one of them');
    const r = await setRule(await ctx.services(), rule, { on: opts.on ? true : opts.off ? false : undefined, channels: opts.channels, to: opts.to }, ctx.env);
    if (opts.json) return printJson(ctx.io, ruleJson(r));
    ctx.io.out(`${r.id}: ${r.on ? 'on' : 'off'}, to ${r.to.join(',') || 'nobody'} by ${r.channels.join(',') || 'no channel'}`);
    if (r.unconfigured.length) ctx.io.hint(`not configured, skipped: ${r.unconfigured.join(', ')} (see crm config list and crm doctor)`);
  });
};
