import { createReadStream, existsSync, statSync } from 'node:fs';
import { NotFoundError, UsageError } from '../../errors.js';
import { assertRole } from '../../services/access.js';
import { visible } from '../../io/visible.js';
import { examples, type Register } from '../shared.js';

export const registerDaemonLogs: Register = (daemon, context) => {
  daemon.command('logs').description("print the daemon's log").addHelpText('after', examples('crm daemon logs -n 50', 'crm daemon logs -f')).option('-f, --follow', 'keep printing new lines until Ctrl-C').option('-n, --lines <n>', 'only the last n lines').action(async (opts: { follow?: boolean; lines?: string }, c) => {
    const ctx = context(c);
    // The log names recipients, senders' addresses and delivery errors: the outbox's readers only.
    assertRole(await ctx.actor(), ['admin', 'manager'], "read the daemon's log");
    const file = ctx.files().daemon().log;
    if (!existsSync(file)) throw new NotFoundError(`no daemon log at ${file}`, 'start the daemon with crm daemon start');
    const { readFileSync } = await import('node:fs');
    let text = readFileSync(file, 'utf8');
    if (opts.lines !== undefined) {
      const n = Number(opts.lines);
      if (!Number.isInteger(n) || n < 0) throw new UsageError(`invalid --lines '${opts.lines}'`, 'a whole number');
      text = text.split('\n').slice(-(n + 1)).join('\n');
    }
    // The log quotes what came from outside (a 404's URL, a mail subject): shown, never obeyed.
    ctx.io.stdout.write(visible(text));
    if (!opts.follow) return;
    let pos = statSync(file).size;
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const size = existsSync(file) ? statSync(file).size : 0;
        if (size < pos) pos = 0;
        if (size > pos) {
          createReadStream(file, { start: pos, end: size - 1, encoding: 'utf8' }).on('data', (chunk) => ctx.io.stdout.write(visible(String(chunk))));
          pos = size;
        }
      }, 250);
      const done = () => {
        clearInterval(timer);
        resolve();
      };
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
  });
};
