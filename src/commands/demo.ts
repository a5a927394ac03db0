import { UsageError } from '../errors.js';
import { printJson } from '../io/output.js';
import { assertRole } from '../services/access.js';
import { seedDemo } from '../services/setup/demo.js';
import { examples, outputFlags, type Register } from './shared.js';

export const registerDemo: Register = (program, context) => {
  const cmd = program
    .command('demo')
    .description('add a demo team and generated leads to the store (for trying crm, and for benchmarks)').addHelpText('after', examples('crm demo', 'crm demo --leads 500'))
    .option('--leads <n>', 'how many leads to generate', '60');
  outputFlags(cmd).action(async (opts: { leads: string; json?: boolean }, c) => {
    const ctx = context(c);
    const n = Number(opts.leads);
    if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid --leads '${opts.leads}'`, 'a whole number, e.g. --leads 1000');
    const { store, actor, now } = await ctx.services();
    assertRole(actor, ['admin'], 'seed demo data');
    const result = await seedDemo(store, now, { leads: n });
    if (opts.json) printJson(ctx.io, result);
    else ctx.io.out(`Added ${result.leads} demo leads (team of ${result.users} users).`);
  });
};
