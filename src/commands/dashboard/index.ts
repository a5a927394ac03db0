import { UsageError } from '../../errors.js';
import { printJson } from '../../io/output.js';
import { dashboard } from '../../services/reports/dashboard.js';
import { resolveTimeZone } from '../../services/time/parse.js';
import { outputFlags, type Register } from '../shared.js';
import { dashboardText } from './render.js';

export const registerDashboard: Register = (program, context) => {
  const cmd = program
    .command('dashboard')
    .description('the KPIs of your pipeline, follow-ups and calls; live on a terminal')
    .option('--once', 'print once and exit (what scripts and pipes get anyway)')
    .option('--interval <seconds>', 'refresh interval of the live view', '5')
    .option('--tz <zone>', 'time zone for today / this month');
  outputFlags(cmd).action(async (opts: { once?: boolean; interval: string; tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const tz = resolveTimeZone(opts.tz, ctx.timeZone);
    const interval = Number(opts.interval);
    if (!Number.isFinite(interval) || interval < 1) throw new UsageError(`invalid --interval '${opts.interval}'`, 'a number of seconds, at least 1');
    const svc = await ctx.services();
    if (opts.json) return printJson(ctx.io, await dashboard(svc, tz));
    if (opts.once || !ctx.io.isInteractive) return ctx.io.out(dashboardText(ctx.io, await dashboard(svc, tz)));
    await live(ctx.io, async () => dashboardText(ctx.io, await dashboard({ ...svc, now: ctx.now() }, tz)), interval * 1000);
  });
};

/** Redraws the screen every interval until q, Esc or Ctrl-C; the store is re-read each time. */
async function live(io: import('../../io/streams.js').IO, frame: () => Promise<string>, intervalMs: number): Promise<void> {
  const stdin = io.stdin as NodeJS.ReadStream;
  const draw = async () => io.stdout.write(`\x1b[H\x1b[2J${await frame()}\n\n  q to quit · refreshes every ${intervalMs / 1000}s\n`);
  io.stdout.write('\x1b[?1049h\x1b[?25l');
  try {
    await draw();
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => void draw(), intervalMs);
      stdin.setRawMode?.(true);
      stdin.resume();
      stdin.on('data', (key: Buffer) => {
        const k = key.toString();
        if (k === 'q' || k === '\x1b' || k === '\x03') {
          clearInterval(timer);
          resolve();
        } else if (k === 'r') void draw();
      });
    });
  } finally {
    stdin.setRawMode?.(false);
    stdin.pause();
    io.stdout.write('\x1b[?25h\x1b[?1049l');
  }
}
