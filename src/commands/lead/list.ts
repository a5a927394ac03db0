import { printList } from '../../io/output.js';
import { listLeads, type LeadFilter } from '../../services/leads/service.js';
import type { LeadType } from '../../domain/leads.js';
import { collect, outputFlags, type ContextFactory } from '../shared.js';
import type { Command } from 'commander';
import { leadColumns, leadJson } from './render.js';

type Options = Omit<LeadFilter, 'type' | 'limit' | 'offset'> & { limit: string; offset?: string; json?: boolean; quiet?: boolean };

/** `lead list` and `customer list`: the same filters over one type. */
export function registerLeadList(parent: Command, context: ContextFactory, type: LeadType = 'lead'): void {
  const cmd = parent
    .command('list')
    .alias('ls')
    .description(`list ${type}s you may see (newest first)`)
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
    .option('--limit <n>', 'at most n rows', '100')
    .option('--offset <n>', 'skip n rows (paging)');
  outputFlags(cmd, { quiet: true }).action(async (opts: Options, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const leads = await listLeads(svc, { ...opts, type });
    await printList(ctx.io, opts, leads, leadColumns, leadJson, `No ${type}s match.`);
  });
}
