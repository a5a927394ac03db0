import type { Column } from '../../io/output.js';
import type { OutboxMessage } from '../../domain/notify.js';

/** The stable --json shape of an outbox message (docs/json.md). */
export function outboxJson(m: OutboxMessage) {
  return {
    id: m.id, key: m.key, rule: m.rule, channel: m.channel, recipient: m.recipientKind === 'webhook' ? null : { kind: m.recipientKind, id: m.recipientId },
    address: m.address, leadId: m.leadId, status: m.status, attempts: m.attempts, nextAttemptAt: m.status === 'sent' || m.status === 'dead' ? null : m.nextAttemptAt,
    lastError: m.lastError, createdAt: m.createdAt, sentAt: m.sentAt,
  };
}

export const outboxColumns: Column<OutboxMessage>[] = [
  { header: 'ID', cell: (m) => m.id },
  { header: 'STATUS', cell: (m) => m.status },
  { header: 'RULE', cell: (m) => m.rule },
  { header: 'CHANNEL', cell: (m) => m.channel },
  { header: 'TO', cell: (m) => m.address ?? (m.recipientKind === 'webhook' ? 'webhook' : `${m.recipientKind} ${m.recipientId}`) },
  { header: 'LEAD', cell: (m) => m.leadId },
  { header: 'TRIES', cell: (m) => m.attempts },
  { header: 'ERROR', cell: (m) => m.lastError },
];
