import { maskUrlCredentials } from '../io/mask.js';
import { printJson, printRecord } from '../io/output.js';
import { examples, outputFlags, type Register } from './shared.js';

export const registerWhoami: Register = (program, context) => {
  const cmd = program.command('whoami').description('show the acting user and the store in use').addHelpText('after', examples('crm whoami', 'crm --as ravi@acme.example whoami', 'crm whoami --json'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const user = await ctx.actor();
    if (opts.json) {
      printJson(ctx.io, { user, store: maskUrlCredentials(ctx.paths.dbFile), config: ctx.paths.configFile });
      return;
    }
    await printRecord(ctx.io, `${user.name} <${user.email}>`, [
      ['role', user.role],
      ['store', maskUrlCredentials(ctx.paths.dbFile)],
      ['config', ctx.paths.configFile],
    ]);
  });
};
