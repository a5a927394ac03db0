import { assertRole } from '../../services/access.js';
import { printJson } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { bin } from './options.js';
import { printStarted } from './render.js';

export const registerDaemonStart: Register = (daemon, context) => {
  const cmd = daemon.command('start').description('start the daemon in the background (PID and log files beside the store)').addHelpText('after', examples('crm daemon start', 'crm daemon start --standby'));
  cmd.option('--standby', 'when another daemon holds the store (on another machine), wait and take over when it stops');
  outputFlags(cmd).action(async (opts: { json?: boolean; standby?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    assertRole(await ctx.actor(), ['admin'], 'start the daemon');
    const { startDetached } = await import('../../daemon/control.js');
    const r = await startDetached({ store, env: ctx.env, bin: bin(), standby: Boolean(opts.standby) });
    if (r.standby && opts.json) printJson(ctx.io, { started: true, pid: r.pid, logFile: r.log, standby: r.standby });
    else if (r.standby) ctx.io.out(`Started the daemon (pid ${r.pid}) as a standby: the daemon (${r.standby}) holds the store, this one takes over when it stops; log: ${r.log}`);
    else printStarted(ctx, r, opts.json, 'Started');
  });
};
