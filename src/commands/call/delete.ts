import { printJson } from '../../io/output.js';
import { parseId } from '../../services/leads/normalize.js';
import { callsToDelete, deleteCalls } from '../../services/calls/service.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { timeZoneOf, tzOption } from '../followup/options.js';

export const registerCallDelete: Register = (parent, context) => {
  const cmd = tzOption(
    parent
      .command('delete')
      .alias('rm')
      .description('delete calls by id or --where (asks first; --yes without a terminal)').addHelpText('after', examples('crm call delete 41 42', 'crm call delete --where "outcome=wrong-number and before=2026-11-01" --yes'))
      .argument('[ids...]', 'call ids')
      .option('--where <conditions>', 'e.g. "outcome=wrong-number and before=2026-11-01"; fields: outcome, direction, lead, user, before, after'),
  );
  outputFlags(cmd).action(async (rawIds: string[], opts: { where?: string; tz?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const calls = await callsToDelete(svc, { ids: rawIds.map((r) => parseId(r, 'call')), where: opts.where }, { timeZone: await timeZoneOf(ctx, opts.tz) });
    if (!calls.length) {
      if (opts.json) printJson(ctx.io, { deleted: [] });
      else ctx.io.out('No calls match; nothing deleted.');
      return;
    }
    const ok = await ctx.prompter.confirm('--yes', `Delete ${calls.length} call${calls.length > 1 ? 's' : ''} (${calls.slice(0, 10).map((x) => x.id).join(', ')}${calls.length > 10 ? ', …' : ''})? This cannot be undone`);
    if (!ok) {
      ctx.io.err('Nothing deleted.');
      return;
    }
    const deleted = await deleteCalls(svc, calls);
    if (opts.json) printJson(ctx.io, { deleted });
    else ctx.io.out(`Deleted ${deleted.length} call${deleted.length > 1 ? 's' : ''}: ${deleted.join(', ')}`);
  });
};
