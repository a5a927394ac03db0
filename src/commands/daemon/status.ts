import { hostname } from 'node:os';
import { printJson } from '../../io/output.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { duration } from './render.js';

export const registerDaemonStatus: Register = (daemon, context) => {
  const cmd = daemon.command('status').description('running?, uptime, jobs with their last and next run, outbox depth, last errors').addHelpText('after', examples('crm daemon status', 'crm daemon status --json'));
  outputFlags(cmd).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const store = await ctx.store();
    const { daemonStatus } = await import('../../daemon/control.js');
    const s = await daemonStatus(store, ctx.env, new Date());
    if (opts.json) return printJson(ctx.io, s);
    const where = s.host && s.host !== hostname() ? ` on ${s.host}` : '';
    ctx.io.out(s.running ? `Daemon:  running (pid ${s.pid}${where}, up ${duration(s.uptimeSeconds ?? 0)})` : 'Daemon:  not running (start it with crm daemon start)');
    ctx.io.out(`Store:   ${s.db}`);
    ctx.io.out(`Log:     ${s.logFile}`);
    if (s.running) ctx.io.out(`HTTP:    ${s.http ? `${s.http.url}${s.http.publicUrl !== s.http.url ? ` (public ${s.http.publicUrl})` : ''}` : 'not listening (off, or see the log)'}`);
    ctx.io.out('Jobs:');
    for (const j of s.jobs) {
      ctx.io.out(`  ${j.name.padEnd(Math.max(...s.jobs.map((x) => x.name.length)))} ${j.schedule.padEnd(32)} last ${j.lastRunAt ? `${j.lastRunAt} (${j.lastStatus})` : 'never'}${j.nextRunAt ? `, next ${j.nextRunAt}` : ''}${j.lastError ? `; error: ${j.lastError}` : ''}`);
    }
    ctx.io.out(`Outbox:  ${Object.entries(s.outbox).map(([k, v]) => `${k} ${v}`).join(', ')}`);
    if (s.lastErrors.length) {
      ctx.io.out('Last errors:');
      for (const e of s.lastErrors) ctx.io.out(`  #${e.id} ${e.rule} by ${e.channel}${e.address ? ` to ${e.address}` : ''}: ${e.status} after ${e.attempts} attempt(s) at ${e.at}: ${e.error}`);
    }
  });
};
