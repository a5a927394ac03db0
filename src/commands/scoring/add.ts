import { printJson } from '../../io/output.js';
import { addScoringRule } from '../../services/scoring/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ruleJson, signed } from './render.js';

export const registerScoringAdd: Register = (parent, context) => {
  const cmd = parent
    .command('add')
    .description('add a rule (managers and admins); existing leads change on crm scoring recompute --all').addHelpText('after', examples('crm scoring add --name has-phone --if has=phone --points 10', 'crm scoring add --name engaged --if "calls>=3" --points 20 --days 14'))
    .option('--name <name>', 'the rule’s name')
    .option('--if <conditions>', 'conditions joined by commas, all must hold: source=, country=, city=, tag=, has=email|phone|company|value|<field>, mail=free|company, budget=* / authority=yes …, calls>=N, notes>=N')
    .option('--points <n>', 'points added when it holds (negative subtracts), -100…100')
    .option('--days <n>', 'window of calls/notes conditions, in days (default 30)');
  outputFlags(cmd).action(async (opts: { name?: string; if?: string; points?: string; days?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const r = await addScoringRule(await ctx.services(), opts);
    if (opts.json) return printJson(ctx.io, ruleJson(r));
    ctx.io.out(`Added scoring rule ${r.name}: ${r.conditions} → ${signed(r.points)}`);
    ctx.io.hint('New and changed leads get it at once; for the others: crm scoring recompute --all');
  });
};
