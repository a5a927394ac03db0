import type { Context } from '../../context.js';
import { formatMoney, formatTimestamp, minorToDecimal } from '../../io/format.js';
import { styler, printJson, printRecord, type Column } from '../../io/output.js';
import type { Activity, Lead } from '../../store/types.js';

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

/** One line describing a timeline entry, in the words a rep uses. */
export function describeActivity(a: Activity, tz?: string): string {
  const d = a.data as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) && v.length ? v.join(', ') : 'nobody');
  switch (a.type) {
    case 'created':
      return `created (${String(d.outcome ?? 'new')})`;
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
    case 'deleted':
      return 'deleted';
    case 'restored':
      return 'restored';
    default:
      return a.body ? `${a.type}: ${a.body}` : a.type;
  }
  function fmt(v: unknown): string {
    if (v === null || v === undefined || v === '') return '∅';
    if (Array.isArray(v)) return v.length ? v.join(',') : '∅';
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  }
  void tz;
}

export async function printLeadShow(ctx: Context, lead: Lead, timeline: Activity[], json?: boolean): Promise<void> {
  if (json) {
    printJson(ctx.io, { ...leadJson(lead), timeline: timeline.map(activityJson) });
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
    ['phones', lead.phones.join(', ')],
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
  ctx.io.out('');
  ctx.io.out(style.bold('Timeline'));
  for (const a of timeline) {
    ctx.io.out(`  ${style.dim(formatTimestamp(a.at, tz))}  ${describeActivity(a, tz)}${a.user ? style.dim(`  — ${a.user}`) : ''}`);
  }
}
