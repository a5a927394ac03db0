import { printList } from '../../io/output.js';
import { intakeLog } from '../../services/intake/forms.js';
import { outputFlags, type Register } from '../shared.js';
import { logColumns } from './render.js';

export const registerIntakeLog: Register = (intake, context) => {
  const cmd = intake
    .command('log')
    .description('recent submissions and webhooks, newest first: accepted, spam or refused (and why), lead id')
    .option('--form <name>', 'only this form')
    .option('--channel <channel>', 'only form, sms or whatsapp')
    .option('--limit <n>', 'how many (default 50)');
  outputFlags(cmd).action(async (opts: { form?: string; channel?: string; limit?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const rows = await intakeLog(await ctx.services(), opts);
    await printList(ctx.io, opts, rows, logColumns, (e) => e, 'Nothing received yet.');
  });
};
