import { assertRole } from '../../services/access.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { bin } from './options.js';
import { printStarted } from './render.js';

export const registerDaemonRestart: Register = (daemon, context) => {
  const cmd = daemon.command('restart').description('stop the daemon if it runs, then start it').addHelpText('after', examples('crm daemon restart'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    assertRole(await ctx.actor(), ['admin'], 'restart the daemon');
    const { startDetached, stopDaemon } = await import('../../daemon/control.js');
    await stopDaemon(store);
    const r = await startDetached({ store, env: ctx.env, bin: bin() });
    printStarted(ctx, r, opts.json, 'Restarted');
  });
};
