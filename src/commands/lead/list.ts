import { jsonText, printList, printStream } from '../../io/output.js';
import { countLeads, listLeads, streamLeads, type LeadFilter } from '../../services/leads/service.js';
import type { LeadType } from '../../domain/leads.js';
import { collect, examples, outputFlags, pageFlags, pageOf, pageRows, type ContextFactory } from '../shared.js';
import type { Command } from 'commander';
import { leadColumns, leadJson } from './render.js';

type Options = Omit<LeadFilter, 'type' | 'limit' | 'offset'> & { limit?: string; all?: boolean; offset?: string; json?: boolean; quiet?: boolean; count?: boolean };

/** `lead list` and `customer list`: the same filters over one type. */
export function registerLeadList(parent: Command, context: ContextFactory, type: LeadType = 'lead'): void {
  const cmd = parent
    .command('list')
    .alias('ls')
    .description(`list ${type}s you may see (newest first)`)
    .addHelpText(
      'after',
      type === 'customer'
        ? examples('crm customer list --mine', 'crm customer list --sort -value --limit 10', 'crm customer list --format csv > customers.csv')
        : examples('crm lead list --mine --stage Qualified,Demo', 'crm lead list --where "source in (Website, Google Ads) and score>=60" --sort -score', 'crm lead list --source Website --count'),
    )
    .option('--stage <stage>', 'in these stages (repeatable or comma-separated)', collect)
    .option('--source <source>', 'from these sources (repeatable or comma-separated)', collect)
    .option('--tag <tag>', 'with this tag')
    .option('--user <email>', 'assigned to this user')
    .option('--mine', 'assigned to me')
    .option('--status <status>', 'active | junk | archived | all', 'active')
    .option('--deleted', 'only deleted ones (restore with crm lead restore)')
    .option('--where <filter>', 'filter language of segments, e.g. "source in (Website, Google Ads) and score>=60"')
    .option('--search <text>', 'name, business, email or phone contains text')
    .option('--min-score <n>', 'score at least n')
    .option('--max-score <n>', 'score at most n')
    .option('--sort <key>', 'id | name | score | value | created | updated | expected-close | stage; prefix - for descending', '-id')
    .option('--count', `print only how many ${type}s match (a number; with --json {"count": n})`);
  pageFlags(cmd, 100, `${type}s`).option('--offset <n>', 'skip n rows (paging)');
  outputFlags(cmd, { quiet: true, list: true }).action(async (opts: Options, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const filter = { ...opts, type, limit: undefined, offset: opts.offset };
    if (opts.count) {
      const n = await countLeads(svc, filter);
      ctx.io.out(opts.json ? jsonText({ count: n }) : String(n));
      return;
    }
    const page = pageOf(opts, ctx.io.isStdoutTTY, 100);
    if (page.limit !== undefined) {
      const fetched = await listLeads(svc, { ...filter, limit: page.paged ? page.limit + 1 : page.limit });
      const total = page.paged && fetched.length > page.limit ? await countLeads(svc, filter) : undefined;
      const shown = pageRows(fetched, page, total, Number(opts.offset ?? 0));
      await printList(ctx.io, { ...opts, footer: shown.footer }, shown.rows, leadColumns, leadJson, `No ${type}s match.`);
      return;
    }
    // Every match, streamed a page at a time: a script is never cut off, and memory stays flat.
    await printStream(ctx.io, opts, streamLeads(svc, filter), leadColumns, leadJson, `No ${type}s match.`);
  });
}
