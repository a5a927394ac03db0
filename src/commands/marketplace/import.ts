import { printJson } from '../../io/output.js';
import { importMarketplace } from '../../services/intake/marketplace.js';
import { examples, outputFlags, type Register } from '../shared.js';
import { printImport } from './render.js';

export const registerMarketplaceImport: Register = (parent, context) => {
  const cmd = parent
    .command('import')
    .description('import inquiries now (the daemon does it on schedule)').addHelpText('after', examples('crm marketplace import --dry-run', 'crm marketplace import --since 2026-12-01'))
    .option('--since <date>', 'inquiries from this date, YYYY-MM-DD (default: the day of the last successful run)')
    .option('--dry-run', 'fetch and show what would happen; store nothing');
  outputFlags(cmd).action(async (opts: { since?: string; dryRun?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const r = await importMarketplace(svc.store, svc.now, { since: opts.since, dryRun: opts.dryRun, actor: svc.actor, env: ctx.env });
    if (opts.json) return printJson(ctx.io, r);
    printImport(ctx.io, r);
  });
};
