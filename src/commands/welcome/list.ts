import { printList } from '../../io/output.js';
import { listWelcome } from '../../services/welcome/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { welcomeColumns } from './render.js';

export const registerWelcomeList: Register = (parent, context) => {
  const cmd = parent.command('list').alias('ls').description('the welcome rules').addHelpText('after', examples('crm welcome list', 'crm welcome list --json'));
  outputFlags(cmd, { list: true }).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    await printList(ctx.io, opts, await listWelcome(await ctx.services()), welcomeColumns, (w) => w, 'No welcome messages yet (crm welcome set --source Website --channel email --template welcome).');
  });
};
