import { printRecord } from '../../io/output.js';
import type { IO } from '../../io/streams.js';
import type { MailboxPollResult, MailboxStatus, MailboxView } from '../../services/intake/mailbox.js';

export function mailboxSetLine(v: MailboxView): string {
  return `Mailbox ${v.user} set: ${v.host}:${v.port}${v.tls ? ' (TLS)' : ''}, folder ${v.folder}, every ${v.every}, then ${v.after}${v.source ? `, source ${v.source}` : ''}`;
}

/** A line a message (tab-separated, those already handled left out), then the counts. */
export function printPoll(io: IO, r: MailboxPollResult): void {
  for (const m of r.messages) {
    if (m.outcome === 'seen') continue;
    io.out([m.uid, m.outcome, m.leadId ?? '', m.from ?? '', m.subject ?? '', m.reason ?? ''].join('\t'));
  }
  io.out(summary(r));
}

function summary(r: MailboxPollResult): string {
  const parts = [`${r.created} new lead(s)`, `${r.existing} to known contacts`, `${r.reengaged} re-engaged`, `${r.skipped} skipped`, `${r.seen} already handled`];
  if (r.tickets) parts.push(`${r.tickets} reply(ies) to tickets`);
  if (r.junk) parts.push(`${r.junk} junk`);
  if (r.rejected) parts.push(`${r.rejected} rejected`);
  return `${r.dryRun ? 'Dry run (nothing stored, nothing marked): ' : ''}${r.fetched} message(s) in ${r.user}/${r.folder}: ${parts.join(', ')}`;
}

export async function printMailboxStatus(io: IO, s: MailboxStatus): Promise<void> {
  if (!s.config) return io.out('The mailbox is not configured (crm mailbox set).');
  const p = s.lastPoll;
  await printRecord(io, `Mailbox ${s.config.user}`, [
    ['server', `${s.config.host}:${s.config.port}${s.config.tls ? ' (TLS)' : ''}`], ['folder', s.config.folder], ['password', s.config.pass || '(none)'],
    ['every', s.config.every], ['then', s.config.after], ['source', s.config.source], ['acts as', s.config.actsAs],
    ['last poll', p ? `${p.startedAt} ${p.ok ? 'ok' : 'FAILED'}` : 'never'],
    ['last counts', p?.ok ? `${p.fetched} fetched, ${p.created} new, ${p.existing} to known contacts, ${p.reengaged} re-engaged, ${p.junk} junk, ${p.skipped} skipped, ${p.rejected} rejected, ${p.seen} already handled` : null],
    ['last error', p && !p.ok ? p.error : null],
    ['last success', s.lastSuccess?.startedAt ?? 'never'],
    ['uidvalidity', s.config.uidValidity === null ? null : String(s.config.uidValidity)], ['last uid', String(s.config.lastUid)],
    ['pending', s.pending ? `${s.pending} handled message(s) still to mark` : null], ['next due', s.nextDue],
  ]);
}
