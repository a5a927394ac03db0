import { printList } from '../../io/output.js';
import { intakeLog } from '../../services/intake/forms.js';
import { MAX_LIST_ROWS } from '../../services/leads/normalize.js';
import { examples, outputFlags, pageFlags, pageOf, pageRows, type Register } from '../shared.js';
import { logColumns } from './render.js';

export const registerIntakeLog: Register = (intake, context) => {
  const cmd = intake
    .command('log')
    .description('recent submissions and webhooks, newest first: accepted, spam or refused (and why), lead id').addHelpText('after', examples('crm intake log --form contact', 'crm intake log --channel sms --limit 20'))
    .option('--form <name>', 'only this form')
    .option('--channel <channel>', 'only form, sms, whatsapp or voice (calls and their status callbacks)');
  pageFlags(cmd, 50, 'entries');
  outputFlags(cmd, { list: true }).action(async (opts: { form?: string; channel?: string; limit?: string; all?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const page = pageOf(opts, ctx.io.isStdoutTTY, 50);
    const limit = page.limit === undefined ? MAX_LIST_ROWS : page.limit + (page.paged ? 1 : 0);
    const shown = pageRows(await intakeLog(await ctx.services(), { ...opts, limit: String(limit) }), page);
    await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, logColumns, (e) => e, 'Nothing received yet.');
  });
};
