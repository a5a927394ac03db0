import type { Column } from '../../io/output.js';
import type { InboxItem } from '../../domain/notify.js';

/** The stable --json shape of an inbox notification (docs/json.md). */
export const inboxJson = (i: InboxItem) => ({ id: i.id, rule: i.rule, leadId: i.leadId, subject: i.subject, body: i.body, createdAt: i.createdAt, readAt: i.readAt });

export const inboxColumns: Column<InboxItem>[] = [
  { header: 'ID', cell: (i) => i.id },
  { header: 'WHEN', cell: (i) => i.createdAt.slice(0, 16).replace('T', ' ') },
  { header: 'RULE', cell: (i) => i.rule },
  { header: 'LEAD', cell: (i) => i.leadId },
  { header: 'MESSAGE', cell: (i) => `${i.readAt ? '' : '* '}${i.body}` },
];
