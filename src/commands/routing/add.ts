import { printJson } from '../../io/output.js';
import { addRoutingRule } from '../../services/routing/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

const CONDITIONS_HELP = 'conditions joined by commas, all must hold: source=, country=, city=, tag=, channel=, form=, has=, mail=free|company, budget=* … (!= negates, | gives alternatives)';

export const registerRoutingAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('add a rule (managers and admins); rules are tried in order, the first match wins').addHelpText('after', examples('crm routing add --name india-web --if "source=Website,country=India" --to group:india', 'crm routing add --name referrals --if source=Referral --to meera@acme.example --position 1'))
    .option('--name <name>', 'the rule’s name')
    .option('--if <conditions>', CONDITIONS_HELP)
    .option('--to <target>', 'a user email, or group:NAME for round-robin')
    .option('--position <n>', 'where in the order (1: first; default: last)');
  outputFlags(cmd).action(async (opts: { name?: string; if?: string; to?: string; position?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const r = await addRoutingRule(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, r);
    else ctx.io.out(`Added routing rule ${r.name} at position ${r.position}: ${r.if} → ${r.to}`);
  });
};
