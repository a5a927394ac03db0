import { printJson, printRecord } from '../../io/output.js';
import { importMarketplace, marketplaceStatus, setMarketplace, type MarketplaceImportResult } from '../../services/intake/marketplace.js';
import { collect, outputFlags, type Register } from '../shared.js';

function summary(r: MarketplaceImportResult): string {
  const parts = [`${r.created} new lead(s)`, `${r.reengaged} re-engaged`, `${r.existing} existing skipped`, `${r.seen} already imported`];
  if (r.rejected) parts.push(`${r.rejected} rejected`);
  return `${r.dryRun ? 'Dry run (nothing stored): ' : ''}${r.fetched} inquiry(ies) since ${r.since}: ${parts.join(', ')}`;
}

export const registerMarketplace: Register = (program, context) => {
  const mp = program.command('marketplace').description('B2B marketplace import: ExportersIndia inquiries become leads (C3)');

  outputFlags(
    mp.command('set').description('configure the import (managers and admins); the daemon runs it every --every')
      .option('--site-key <key>', 'API site key (stored as a secret setting; CRM_MARKETPLACE_SITE_KEY wins)')
      .option('--site-id <id>', 'site id: the email of the ExportersIndia account')
      .option('--assign <emails>', 'users the inquiries are shared among, round-robin (repeatable or comma-separated)', collect)
      .option('--source <name>', 'source of the new leads (created if missing; default ExportersIndia)')
      .option('--every <interval>', 'how often the daemon imports: 15m, 1h… (default 15m)')
      .option('--base-url <url>', 'API base URL (default https://my.exportersindia.com; for a proxy or a test server)'),
  ).action(async (opts: { siteKey?: string; siteId?: string; assign?: string[]; source?: string; every?: string; baseUrl?: string; json?: boolean }, c) => {
    const ctx = context(c);
    const v = await setMarketplace(await ctx.services(), opts);
    if (opts.json) printJson(ctx.io, v);
    else ctx.io.out(`Marketplace ${v.site} set: site ${v.siteId}, every ${v.every}, assigning to ${v.assign.join(', ')}${v.source ? `, source ${v.source}` : ''}`);
  });

  outputFlags(
    mp.command('import').description('import inquiries now (the daemon does it on schedule)')
      .option('--since <date>', 'inquiries from this date, YYYY-MM-DD (default: the day of the last successful run)')
      .option('--dry-run', 'fetch and show what would happen; store nothing'),
  ).action(async (opts: { since?: string; dryRun?: boolean; json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const r = await importMarketplace(svc.store, svc.now, { since: opts.since, dryRun: opts.dryRun, actor: svc.actor, env: ctx.env });
    if (opts.json) return printJson(ctx.io, r);
    for (const q of r.inquiries) {
      if (q.outcome === 'seen') continue;
      ctx.io.out([q.inqId, q.outcome, q.leadId ?? '', q.assignee ?? '', q.reason ?? ''].join('\t'));
    }
    ctx.io.out(summary(r));
  });

  outputFlags(mp.command('status').description('configuration, last run, counts and last error')).action(async (opts: { json?: boolean }, c) => {
    const ctx = context(c);
    const svc = await ctx.services();
    const s = await marketplaceStatus(svc, ctx.env);
    if (opts.json) return printJson(ctx.io, s);
    if (!s.config) return ctx.io.out('The marketplace import is not configured (crm marketplace set).');
    const run = s.lastRun;
    await printRecord(ctx.io, `Marketplace ${s.config.site}`, [
      ['site id', s.config.siteId], ['site key', s.config.siteKey], ['base url', s.config.baseUrl], ['assign', s.config.assign.join(', ')],
      ['source', s.config.source], ['every', s.config.every], ['acts as', s.config.actsAs],
      ['last run', run ? `${run.startedAt} ${run.ok ? 'ok' : 'FAILED'} (since ${run.since})` : 'never'],
      ['last counts', run?.ok ? `${run.fetched} fetched, ${run.created} new, ${run.reengaged} re-engaged, ${run.existing} existing, ${run.seen} already imported, ${run.rejected} rejected` : null],
      ['last error', run && !run.ok ? run.error : null],
      ['last success', s.lastSuccess?.startedAt ?? 'never'], ['next due', s.nextDue],
    ]);
  });
};
