import { printList } from '../../io/output.js';
import { listScoringRules } from '../../services/scoring/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ruleColumns, ruleJson } from './render.js';

export const registerScoringList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('the scoring rules').addHelpText('after', examples('crm scoring list', 'crm scoring list --json'));
  outputFlags(cmd, { list: true }).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rules = await listScoringRules(await ctx.services());
    await printList(ctx.io, opts, rules, ruleColumns, ruleJson, 'No scoring rules yet (crm scoring add --name web --if "source=Website" --points 10).');
  });
};
