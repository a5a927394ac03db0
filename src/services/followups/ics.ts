import type { FollowUp } from '../../domain/followups.js';

const PRIORITY: Record<FollowUp['priority'], number> = { urgent: 1, high: 3, medium: 5, low: 9 };

/**
 * RFC 5545 calendar of follow-ups through ical-generator: one VEVENT per follow-up (UTC times,
 * a stable UID so re-importing updates rather than duplicates) and one VALARM per notify-before.
 */
export async function followUpsToIcs(followUps: FollowUp[], opts: { now: Date; domain?: string }): Promise<string> {
  const { ical, ICalAlarmType, ICalEventStatus } = await import('../../vendor/ical.js');
  const cal = ical({ name: 'crm follow-ups', prodId: { company: 'crm', product: 'follow-ups', language: 'EN' } });
  const domain = opts.domain ?? 'crm.local';
  for (const f of followUps) {
    cal.createEvent({
      id: `follow-up-${f.id}@${domain}`,
      stamp: opts.now,
      start: new Date(f.startAt),
      end: new Date(f.endAt),
      created: new Date(f.createdAt),
      lastModified: new Date(f.updatedAt),
      summary: `${f.title} — ${f.leadName}`,
      description: [f.description, `Lead ${f.leadId}: ${f.leadName}`, `Type: ${f.type}, priority: ${f.priority}, status: ${f.status}`].filter(Boolean).join('\n'),
      categories: f.category ? [{ name: f.category }] : [],
      priority: PRIORITY[f.priority],
      status: f.status === 'cancelled' ? ICalEventStatus.CANCELLED : f.status === 'open' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
      alarms: f.notifyBefore.map((m) => ({ type: ICalAlarmType.display, triggerBefore: m * 60, description: f.title })),
      x: [['X-CRM-LEAD-ID', String(f.leadId)], ['X-CRM-FOLLOW-UP-STATUS', f.status]],
    });
  }
  return cal.toString();
}
