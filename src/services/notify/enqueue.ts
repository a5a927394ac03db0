import { messagingPhone } from '../../domain/leads.js';
import type { Lead } from '../../domain/leads.js';
import type { Channel, NewOutboxMessage } from '../../domain/notify.js';
import type { User } from '../../domain/users.js';
import type { Store } from '../../store/types.js';
import { RULES, ruleConfig, type NotifyEvent, type Recipient, type RuleDef } from './rules.js';

const formatters = new Map<string, [Intl.DateTimeFormat, Intl.DateTimeFormat]>();

/** Date and time of an instant in a time zone (empty: the system zone). */
export function formatWhen(at: string, timeZone: string | undefined): { date: string; time: string } {
  const tz = timeZone || undefined;
  let f = formatters.get(tz ?? '');
  if (!f) {
    f = [
      new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }),
      new Intl.DateTimeFormat('en-GB', { timeZone: tz, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
    ];
    formatters.set(tz ?? '', f);
  }
  const d = new Date(at);
  return { date: f[0].format(d), time: f[1].format(d) };
}

/** A channel is on when its transport is configured; the inbox always is. */
export function channelConfigured(channel: Channel, settings: Record<string, string>): boolean {
  switch (channel) {
    case 'inbox': return true;
    case 'email': return Boolean(settings['smtp.host']);
    case 'sms': return Boolean(settings['twilio.account-sid'] && settings['twilio.sms-from']);
    case 'whatsapp': return Boolean(settings['twilio.account-sid'] && settings['twilio.whatsapp-from']);
    case 'webhook': return Boolean(settings['webhook.url']);
  }
}

interface Target {
  kind: 'user' | 'lead';
  id: number;
  name: string;
  email: string | null;
  phone: string | null;
}

async function recipients(store: Store, lead: Lead | undefined, to: Recipient[], users: User[], reps: number[]): Promise<Target[]> {
  const active = users.filter((u) => u.active);
  const byId = new Map(active.map((u) => [u.id, u]));
  const picked = new Map<number, User>();
  const add = (u: User | undefined) => {
    if (u) picked.set(u.id, u);
  };
  for (const r of to) {
    if (r === 'rep') for (const id of reps) add(byId.get(id));
    if (r === 'admins') for (const u of active) if (u.role === 'admin') add(u);
    if (r === 'managers') {
      const mine = reps.map((id) => byId.get(id)?.managerId).filter((id): id is number => id != null).map((id) => byId.get(id)).filter((u) => u?.role === 'manager');
      for (const u of mine.length ? mine : active.filter((u) => u.role === 'manager')) add(u);
    }
  }
  const targets: Target[] = [];
  for (const u of picked.values()) targets.push({ kind: 'user', id: u.id, name: u.name, email: u.email, phone: (await store.userPhones.get(u.id)) ?? null });
  if (to.includes('client') && lead) targets.push({ kind: 'lead', id: lead.id, name: lead.name, email: lead.emails[0] ?? null, phone: messagingPhone(lead.phones) ?? null });
  return targets;
}

function address(channel: Channel, t: Target): string | null {
  if (channel === 'email') return t.email;
  if (channel === 'sms' || channel === 'whatsapp') return t.phone;
  return null;
}

/**
 * Writes the outbox rows an event causes (N2). Call it inside the transaction that stores the
 * event, so the notification exists exactly when the event does. Returns how many were stored.
 */
export async function enqueueForEvent(store: Store, event: NotifyEvent): Promise<number> {
  const rules = RULES.filter((r) => r.event === event.type);
  if (rules.length === 0) return 0;
  const settings = await store.settings.all();
  const configs = rules.map((r) => [r, ruleConfig(r, settings)] as const).filter(([, c]) => c.on);
  if (configs.length === 0) return 0;
  const lead = event.leadId === null ? undefined : await store.leads.get(event.leadId);
  if (event.leadId !== null && !lead) return 0;
  const users = await store.users.list();
  const reps = event.reps ?? lead?.assignees.map((a) => a.id) ?? [];
  const repNames = event.reps ? users.filter((u) => event.reps!.includes(u.id)).map((u) => u.name) : lead?.assignees.map((a) => a.name) ?? [];
  // {date} and {time} are formatted from `at` at delivery: Intl's first use costs ~40 ms, too much for `crm lead add`.
  const base: Record<string, string> = {
    ...(lead ? { contact_name: lead.name, business_name: lead.businessName ?? '', lead_id: String(lead.id), source: lead.source ?? '', stage: lead.stage, reason: lead.lostReason ?? '' } : {}),
    rep: repNames.join(', ') || 'nobody', at: event.at, ...event.vars,
  };
  const messages: NewOutboxMessage[] = [];
  for (const [rule, config] of configs) {
    if (rule.when && !rule.when({ settings, source: lead?.source ?? null })) continue;
    const channels = config.channels.filter((c) => channelConfigured(c, settings) && (!event.channels || event.channels.includes(c)));
    if (channels.length === 0) continue;
    const targets = await recipients(store, lead, config.to, users, reps);
    for (const channel of channels) {
      if (channel === 'webhook') {
        messages.push(message(rule, event, channel, { kind: 'webhook' }, null, { ...base, recipient: '' }));
        continue;
      }
      for (const t of targets) {
        if (channel === 'inbox' && t.kind !== 'user') continue;
        if ((await store.optOuts.list(t.kind, t.id)).includes(channel)) continue;
        messages.push(message(rule, event, channel, t, address(channel, t), { ...base, recipient: t.name }));
      }
    }
  }
  return store.outbox.enqueue(messages, event.at);
}

function message(rule: RuleDef, event: NotifyEvent, channel: Channel, t: { kind: 'user' | 'lead' | 'webhook'; id?: number }, addr: string | null, vars: Record<string, string>): NewOutboxMessage {
  const who = t.kind === 'webhook' ? 'webhook' : `${t.kind}${t.id}`;
  return {
    key: `${rule.id}/${event.key}/${channel}/${who}`, rule: rule.id, channel, recipientKind: t.kind, recipientId: t.id ?? null,
    address: addr, leadId: event.leadId, vars,
  };
}
