import { printJson } from '../../io/output.js';
import { testRouting } from '../../services/routing/service.js';
import { examples, outputFlags, type Register } from '../shared.js';

export const registerRoutingTest: Register = (parent, context) => {
  const cmd = parent
    .command('test')
    .description('who would get a lead, and which rule decides (moves no round-robin pointer)').addHelpText('after', examples('crm routing test \'{"source":"Website","country":"India"}\'', 'crm routing test \'{"source":"Referral","email":"a@b.example"}\' --json'))
    .argument('<lead-json>', `e.g. '{"source":"Website","country":"India","email":"a@b.example","channel":"form","form":"website"}'`);
  outputFlags(cmd).action(async (json: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const d = await testRouting(await ctx.services(), json);
    if (opts.json) return printJson(ctx.io, d);
    for (const s of d.steps) ctx.io.out(`${s.matched ? 'match' : 'no'}\t${s.rule}${s.reason ? `\t${s.reason}` : ''}`);
    ctx.io.out(d.user ? `→ ${d.user.email} (rule ${d.rule}${d.group ? `, group ${d.group}` : ''})` : '→ unassigned (no rule matched, no routing.default)');
  });
};
