import { printRecord } from '../../io/output.js';
import type { IO } from '../../io/streams.js';
import type { MarketplaceImportResult, MarketplaceStatus, MarketplaceView } from '../../services/intake/marketplace.js';

export function marketplaceSetLine(v: MarketplaceView): string {
  return `Marketplace ${v.site} set: site ${v.siteId}, every ${v.every}, assigning to ${v.assign.join(', ')}${v.source ? `, source ${v.source}` : ''}`;
}

/** A line an inquiry (tab-separated, those already imported left out), then the counts. */
export function printImport(io: IO, r: MarketplaceImportResult): void {
  for (const q of r.inquiries) {
    if (q.outcome === 'seen') continue;
    io.out([q.inqId, q.outcome, q.leadId ?? '', q.assignee ?? '', q.reason ?? ''].join('\t'));
  }
  io.out(summary(r));
}

function summary(r: MarketplaceImportResult): string {
  const parts = [`${r.created} new lead(s)`, `${r.reengaged} re-engaged`, `${r.existing} existing skipped`, `${r.seen} already imported`];
  if (r.rejected) parts.push(`${r.rejected} rejected`);
  return `${r.dryRun ? 'Dry run (nothing stored): ' : ''}${r.fetched} inquiry(ies) since ${r.since}: ${parts.join(', ')}`;
}

export async function printMarketplaceStatus(io: IO, s: MarketplaceStatus): Promise<void> {
  if (!s.config) return io.out('The marketplace import is not configured (crm marketplace set).');
  const run = s.lastRun;
  await printRecord(io, `Marketplace ${s.config.site}`, [
    ['site id', s.config.siteId], ['site key', s.config.siteKey], ['base url', s.config.baseUrl], ['assign', s.config.assign.join(', ')],
    ['source', s.config.source], ['every', s.config.every], ['acts as', s.config.actsAs],
    ['last run', run ? `${run.startedAt} ${run.ok ? 'ok' : 'FAILED'} (since ${run.since})` : 'never'],
    ['last counts', run?.ok ? `${run.fetched} fetched, ${run.created} new, ${run.reengaged} re-engaged, ${run.existing} existing, ${run.seen} already imported, ${run.rejected} rejected` : null],
    ['last error', run && !run.ok ? run.error : null],
    ['last success', s.lastSuccess?.startedAt ?? 'never'], ['next due', s.nextDue],
  ]);
}
