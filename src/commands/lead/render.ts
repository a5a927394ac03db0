import type { Context } from '../../context.js';
import { formatMoney, formatTimestamp, minorToDecimal } from '../../io/format.js';
import { consentJson, consentLine } from './consent.js';
import type { ChannelConsent, ConsentEntry } from '../../domain/consent.js';
import { styler, printJson, printRecord, visible, type Column } from '../../io/output.js';
import type { Appointment } from '../../domain/appointments.js';
import type { Call } from '../../domain/calls.js';
import type { FollowUp } from '../../domain/followups.js';
import type { Activity, Lead } from '../../domain/leads.js';
import type { ContactPerson } from '../../domain/orders.js';
import { followUpJson } from '../followup/render.js';
import { callJson } from '../call/render.js';
import { appointmentJson } from '../appointment/render.js';
import { personJson, personLine } from './person/render.js';
import { formatDuration } from '../../services/time/parse.js';
import { isVerifiedPhone } from '../../domain/leads.js';
import type { Ticket } from '../../domain/tickets.js';
import { ticketJson, ticketLine } from '../ticket/render.js';

/** What the 360° view adds to a lead's profile and timeline (services/leads showLead). */
export interface LeadView {
  stageHistory: Activity[];
  openFollowUps: FollowUp[];
  overdueFollowUps: FollowUp[];
  nextAppointment: Appointment | null;
  recentCalls: Call[];
  tickets: Ticket[];
  notes: Activity[];
  persons: ContactPerson[];
  /** Consent per channel now, and its history (oldest first). */
  consent: { channels: ChannelConsent[]; history: ConsentEntry[] };
}

/** The stable --json shape of a lead (docs/json.md). */
export function leadJson(l: Lead) {
  return {
    id: l.id,
    type: l.type,
    kind: l.kind,
    name: l.name,
    businessName: l.businessName,
    emails: l.emails,
    phones: l.phones,
    source: l.source,
    stage: l.stage,
    stageOutcome: l.stageOutcome,
    probability: l.stageProbability,
    score: l.score,
    value: l.valueMinor === null ? null : { amountMinor: l.valueMinor, amount: minorToDecimal(l.valueMinor, l.currency), currency: l.currency },
    currency: l.currency,
    expectedClose: l.expectedClose,
    assignedTo: l.assignees.map((a) => a.email),
    tags: l.tags,
    birthday: l.birthday,
    address: l.address,
    custom: l.custom,
    status: l.status,
    lostReason: l.lostReason,
    orderId: l.orderId,
    convertedAt: l.convertedAt,
    createdBy: l.createdBy,
    mergedInto: l.mergedInto,
    createdAt: l.createdAt,
    updatedAt: l.updatedAt,
    deletedAt: l.deletedAt,
  };
}

export function activityJson(a: Activity) {
  return { id: a.id, type: a.type, at: a.at, user: a.user, body: a.body, data: a.data };
}

export const leadColumns: Column<Lead>[] = [
  { header: 'ID', cell: (l) => l.id },
  { header: 'NAME', cell: (l) => l.name },
  { header: 'BUSINESS', cell: (l) => l.businessName },
  { header: 'STAGE', cell: (l) => l.stage },
  { header: 'SOURCE', cell: (l) => l.source },
  { header: 'VALUE', cell: (l) => formatMoney(l.valueMinor, l.currency) },
  { header: 'SCORE', cell: (l) => l.score },
  { header: 'ASSIGNED', cell: (l) => l.assignees.map((a) => a.email).join(',') },
  { header: 'TAGS', cell: (l) => l.tags.join(',') },
];

/**
 * Who did it, for a timeline line: the acting user, and on a PostgreSQL store the admin login that
 * acted for them with --as/CRM_USER (the database records it in the entry's data as {by, as}).
 */
export function whoDid(a: Activity): string | undefined {
  const d = (a.data ?? {}) as Record<string, unknown>;
  const by = typeof d.by === 'string' ? d.by : undefined;
  if (!a.user) return by;
  return by && by !== a.user ? `${a.user} (by ${by})` : a.user;
}

/** One line describing a timeline entry, in the words a rep uses. */
function describeTicket(d: Record<string, unknown>, body: string | null): string {
  const id = `ticket ${String(d.ticketId)}`;
  switch (d.event) {
    case 'opened':
      return `${id} opened${d.by === 'customer' ? ' by the customer' : ''} (${String(d.priority)}${d.category ? `, ${String(d.category)}` : ''}): ${body ?? ''}`;
    case 'assigned':
      return `${id} assigned ${d.from ? String(d.from) : 'nobody'} → ${d.to ? String(d.to) : 'nobody'}`;
    case 'customer-reply':
      return `${id} customer replied${d.from ? ` (${String(d.from)})` : ''}: ${body ?? ''}`;
    case 'edited':
      return `${id} edited ${(d.changes as { field: string; from: unknown; to: unknown }[]).map((c) => `${c.field}: ${String(c.from ?? '∅')} → ${String(c.to ?? '∅')}`).join('; ')}`;
    default:
      return `${id} ${String(d.event)}${body && body !== d.subject ? `: ${body}` : ''}`;
  }
}

export function describeActivity(a: Activity, tz?: string): string {
  const d = a.data as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) && v.length ? v.join(', ') : 'nobody');
  switch (a.type) {
    case 'created':
      return `created (${String(d.outcome ?? 'new')})${d.importId !== undefined ? ` by import ${String(d.importId)}, line ${String(d.line)}` : ''}`;
    case 'note':
      return `note: ${a.body ?? ''}`;
    case 'stage':
      return `moved ${String(d.from)} → ${String(d.to)}`;
    case 'lost':
      return `lost (${String(d.from)} → ${String(d.to)}): ${String(d.reason)}`;
    case 'assigned':
      return `assigned ${list(d.from)} → ${list(d.to)}`;
    case 'converted':
      return `converted ${String(d.previousType)} → customer${d.orderId ? `, order ${String(d.orderId)}` : ''}`;
    case 'updated':
      return `edited ${(d.changes as { field: string; from: unknown; to: unknown }[]).map((c) => `${c.field}: ${fmt(c.from)} → ${fmt(c.to)}`).join('; ')}`;
    case 'merged':
      return `merged lead ${String(d.from)} (${String(d.name)}) into this one`;
    case 'reengaged':
      return `re-engaged (was ${String(d.fromStatus)}, ${String(d.fromStage)}) → ${String(d.toStage)}`;
    case 'routed':
      return `routed to ${String(d.to)} (${d.rule === 'routing.default' ? 'routing.default' : `rule ${String(d.rule)}`}${String(d.target).startsWith('group:') ? `, ${String(d.target)}` : ''})`;
    case 'scored':
      return `score ${String(d.from)} → ${String(d.to)} (manual ${String(d.base)}, rules ${Number(d.points) >= 0 ? '+' : ''}${String(d.points)})`;
    case 'welcome':
      return d.skipped ? `welcome by ${String(d.channel)} not sent: ${String(d.skipped)}` : `welcome queued by ${String(d.channel)} to ${String(d.to)}${d.attachment ? ` with ${String(d.attachment)}` : ''}: ${a.body ?? ''}`;
    case 'deleted':
      return 'deleted';
    case 'restored':
      return 'restored';
    case 'follow-up':
      return `follow-up ${String(d.followUpId)} scheduled (${String(d.kind)}, ${d.startAt ? formatTimestamp(String(d.startAt), tz) : '?'}): ${a.body ?? ''}${d.rule ? ` [rule ${String(d.rule)}]` : ''}${d.seriesId ? ' [recurring]' : ''}`;
    case 'follow-up-done':
      return `follow-up ${String(d.followUpId)} completed: ${a.body ?? ''}${d.note ? ` — ${String(d.note)}` : ''}`;
    case 'follow-up-cancelled':
      return `follow-up ${String(d.followUpId)} cancelled: ${a.body ?? ''}${d.reason ? ` — ${String(d.reason)}` : ''}`;
    case 'follow-up-edited':
      return `follow-up ${String(d.followUpId)} edited: ${a.body ?? ''}`;
    case 'follow-up-log':
      return `follow-up ${String(d.followUpId)} log (${String(d.logType)}): ${[d.subject, d.description].filter(Boolean).join(' — ')}`;
    case 'call':
      return `call ${String(d.direction)} ${String(d.outcome)}, ${formatDuration(Number(d.durationSeconds ?? 0))}${a.body ? `: ${a.body}` : ''}`;
    case 'appointment':
      return `${String(d.kind)} booked for ${d.startAt ? formatTimestamp(String(d.startAt), tz) : '?'} (${String(d.durationMinutes)} min)${a.body ? ` at ${a.body}` : ''}`;
    case 'appointment-confirmed':
    case 'appointment-completed':
    case 'appointment-cancelled':
    case 'appointment-no-show':
      return `${String(d.kind)} of ${d.startAt ? formatTimestamp(String(d.startAt), tz) : '?'} ${a.type.slice('appointment-'.length)}${a.body ? `: ${a.body}` : ''}`;
    case 'ticket':
      return describeTicket(d, a.body);
    case 'ticket-reply':
      return `ticket ${String(d.ticketId)} replied to ${String(d.to)} (${String(d.status)}): ${a.body ?? ''}`;
    default:
      return a.body ? `${a.type}: ${a.body}` : a.type;
  }
  function fmt(v: unknown): string {
    if (v === null || v === undefined || v === '') return '∅';
    if (Array.isArray(v)) return v.length ? v.join(',') : '∅';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
}

/** The stable --json shape of `lead show` (docs/json.md); `crm mcp`'s lead context is the same. */
export function leadShowJson(lead: Lead, timeline: Activity[], now: Date, view?: LeadView) {
  return {
    ...leadJson(lead),
    timeline: timeline.map(activityJson),
    ...(view ? {
      stageHistory: view.stageHistory.map(activityJson),
      openFollowUps: view.openFollowUps.map((f) => followUpJson(f, now)),
      overdueFollowUps: view.overdueFollowUps.map((f) => followUpJson(f, now)),
      nextAppointment: view.nextAppointment && appointmentJson(view.nextAppointment),
      recentCalls: view.recentCalls.map(callJson),
      tickets: view.tickets.map((t) => ticketJson(t, now)),
      notes: view.notes.map(activityJson),
      persons: view.persons.map(personJson),
      consent: consentJson({ leadId: lead.id, ...view.consent }),
    } : {}),
  };
}

export async function printLeadShow(ctx: Context, lead: Lead, timeline: Activity[], json?: boolean, view?: LeadView): Promise<void> {
  const now = ctx.now();
  if (json) {
    printJson(ctx.io, leadShowJson(lead, timeline, now, view));
    return;
  }
  const tz = ctx.timeZone;
  const title = `${lead.type === 'customer' ? 'Customer' : 'Lead'} ${lead.id}: ${lead.name}${lead.businessName ? ` — ${lead.businessName}` : ''}${lead.deletedAt ? ' [deleted]' : ''}`;
  await printRecord(ctx.io, title, [
    ['stage', `${lead.stage} (${lead.stageProbability}%)`],
    ['status', lead.status === 'active' ? null : lead.status],
    ['lost reason', lead.lostReason],
    ['source', lead.source],
    ['value', formatMoney(lead.valueMinor, lead.currency)],
    ['score', lead.score],
    ['expected close', lead.expectedClose],
    ['emails', lead.emails.join(', ')],
    ['phones', lead.phones.map((p) => (isVerifiedPhone(p) ? p : `${p} (unverified)`)).join(', ')],
    ['assigned to', lead.assignees.map((a) => `${a.name} <${a.email}>`).join(', ')],
    ['tags', lead.tags.join(', ')],
    ['birthday', lead.birthday],
    ['address', lead.address],
    ...Object.entries(lead.custom).map(([k, v]): [string, string] => [k, v]),
    ['order', lead.orderId],
    ['converted', lead.convertedAt && formatTimestamp(lead.convertedAt, tz)],
    ['merged into', lead.mergedInto],
    ['created', `${formatTimestamp(lead.createdAt, tz)}${lead.createdBy ? ` by ${lead.createdBy}` : ''}`],
  ]);
  const style = styler(ctx.io);
  if (view) printView(ctx, view, tz, style);
  ctx.io.out('');
  ctx.io.out(style.bold('Timeline'));
  for (const a of timeline) {
    ctx.io.out(`  ${style.dim(formatTimestamp(a.at, tz))}  ${visible(describeActivity(a, tz))}${whoDid(a) ? style.dim(`  — ${visible(whoDid(a)!)}`) : ''}`);
  }
}

function printView(ctx: Context, view: LeadView, tz: string | undefined, style: ReturnType<typeof styler>): void {
  const section = (title: string) => {
    ctx.io.out('');
    ctx.io.out(style.bold(title));
  };
  if (view.persons.length) {
    section('Contact persons');
    for (const p of view.persons) ctx.io.out(`  ${visible(personLine(p))}`);
  }
  if (view.consent.history.length) {
    section('Consent');
    for (const ch of view.consent.channels) ctx.io.out(`  ${visible(consentLine(ch, tz))}`);
  }
  if (view.stageHistory.length) {
    section('Stage history');
    for (const a of view.stageHistory) ctx.io.out(`  ${style.dim(formatTimestamp(a.at, tz))}  ${visible(describeActivity(a, tz))}${whoDid(a) ? style.dim(`  — ${visible(whoDid(a)!)}`) : ''}`);
  }
  if (view.overdueFollowUps.length || view.openFollowUps.length) {
    section('Follow-ups');
    const line = (f: FollowUp, overdue: boolean) =>
      ctx.io.out(`  ${overdue ? style.red('overdue ') : ''}${style.dim(formatTimestamp(f.startAt, tz))}  #${f.id} ${visible(f.title)} (${f.type}, ${f.priority})${f.assignees.length ? style.dim(`  — ${visible(f.assignees.map((a) => a.email).join(', '))}`) : ''}`);
    for (const f of view.overdueFollowUps) line(f, true);
    for (const f of view.openFollowUps) line(f, false);
  }
  if (view.nextAppointment) {
    const a = view.nextAppointment;
    section('Next appointment');
    ctx.io.out(`  ${style.dim(formatTimestamp(a.startAt, tz))}  #${a.id} ${a.kind}, ${a.durationMinutes} min, ${a.status}${a.location ? ` at ${visible(a.location)}` : ''}${a.participants.length ? style.dim(`  — ${visible(a.participants.map((p) => p.email).join(', '))}`) : ''}`);
  }
  if (view.recentCalls.length) {
    section('Recent calls');
    for (const c of view.recentCalls) {
      ctx.io.out(`  ${style.dim(formatTimestamp(c.startAt, tz))}  #${c.id} ${c.direction} ${c.outcome}, ${formatDuration(c.durationSeconds)}${c.note ? `: ${visible(c.note)}` : ''}${style.dim(`  — ${visible(c.user)}`)}`);
    }
  }
  if (view.tickets.length) {
    section('Tickets');
    const now = ctx.now();
    for (const t of view.tickets) ctx.io.out(`  ${style.dim(formatTimestamp(t.createdAt, tz))}  ${visible(ticketLine(t, now))}${t.assignee ? style.dim(`  — ${visible(t.assignee)}`) : ''}`);
  }
  if (view.notes.length) {
    section('Notes');
    for (const n of view.notes.slice(0, 5)) ctx.io.out(`  ${style.dim(formatTimestamp(n.at, tz))}  ${visible(n.body ?? '')}${n.user ? style.dim(`  — ${visible(n.user)}`) : ''}`);
  }
}
