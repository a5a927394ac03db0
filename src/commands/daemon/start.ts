import { assertRole } from '../../services/access.js';
import { outputFlags, type Register } from '../shared.js';
import { bin } from './options.js';
import { printStarted } from './render.js';

export const registerDaemonStart: Register = (daemon, context) => {
  const cmd = daemon.command('start').description('start the daemon in the background (PID and log files beside the store)');
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    assertRole(await ctx.actor(), ['admin'], 'start the daemon');
    const { startDetached } = await import('../../daemon/control.js');
    const r = await startDetached({ store, env: ctx.env, bin: bin() });
    printStarted(ctx, r, opts.json, 'Started');
  });
};
