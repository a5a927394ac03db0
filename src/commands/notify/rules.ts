import { printList } from '../../io/output.js';
import { listRules } from '../../services/notify/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { ruleColumns, ruleJson } from './render.js';

export const registerNotifyRules: Register = (parent, context) => {
  const cmd = parent.command('rules').description('list the rules: on/off, recipients, channels').addHelpText('after', examples('crm notify rules', 'crm notify rules --format csv'));
  outputFlags(cmd, { list: true }).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await listRules(await ctx.services(), ctx.env);
    await printList(ctx.io, opts, rows, ruleColumns, ruleJson);
  });
};
