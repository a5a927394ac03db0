import { printJson } from '../../io/output.js';
import { retryOutbox } from '../../services/outbox/service.js';
import { outputFlags, type Register } from '../shared.js';
import { outboxId } from './options.js';
import { outboxJson } from './render.js';

export const registerOutboxRetry: Register = (parent, context) => {
  const cmd = parent.command('retry').description('deliver a failed or dead notification again, now (admins)').argument('<id>');
  outputFlags(cmd).action(async (raw: string, opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const m = await retryOutbox(await ctx.services(), outboxId(raw));
    if (opts.json) printJson(ctx.io, outboxJson(m));
    else ctx.io.out(`Notification ${m.id} is pending again; the daemon delivers it within seconds`);
  });
};
