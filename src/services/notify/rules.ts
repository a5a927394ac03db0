import { UsageError } from '../../errors.js';
import type { Channel, OptOutChannel } from '../../domain/notify.js';
import type { Store } from '../../store/types.js';
import { CHANNELS, OPT_OUT_CHANNELS } from '../../domain/notify.js';
import { keyed } from '../../domain/keyed.js';

/** Who a rule can notify: the assigned reps (of the lead, or of the follow-up), admins, managers (of those reps), the lead's contact. */
export const RECIPIENTS = ['rep', 'admins', 'managers', 'client'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

/** What happened; each event names its lead and a key unique to this occurrence (part of the idempotency key). */
export type EventType =
  | 'lead.created' | 'lead.junk' | 'lead.duplicate' | 'lead.contact-attempt' | 'lead.reengaged' | 'lead.lost' | 'lead.not-attempted'
  | 'followup.reminder' | 'followup.missed' | 'demo.confirmed' | 'demo.completed' | 'appointment.today' | 'demo.soon' | 'report.daily'
  | 'proposal.expiring' | 'ticket.sla-breach' | 'ticket.customer-reply' | 'proposal.decided' | 'portal.order-request';
export interface NotifyEvent {
  type: EventType;
  /** The lead it is about; null for team-wide events (the daily report: only admins and managers can receive it). */
  leadId: number | null;
  at: string;
  /** The users 'rep' means (a follow-up's assignees); default the lead's assignees. Managers are theirs. */
  reps?: number[];
  /** Only these channels (a follow-up reminder goes out on its own channel). */
  channels?: Channel[];
  /** Unique per occurrence: enqueueing the same event twice stores each message once. */
  key: string;
  /** Extra placeholder values (e.g. the attempted name of a duplicate, a lost reason). */
  vars?: Record<string, string>;
}

export interface RuleConfig {
  on: boolean;
  to: Recipient[];
  channels: Channel[];
}

/** A notification rule (N4): what fires it, its templates and its default recipients and channels. */
export interface RuleDef {
  id: string;
  description: string;
  event: EventType;
  /** Base name of its templates in templates/notify/ (<name>.email.txt, <name>.txt). */
  template: string;
  defaults: RuleConfig;
  /** Extra condition on the event, given the team settings (e.g. lost leads only from some sources). */
  when?: (ctx: { settings: Record<string, string>; source: string | null }) => boolean;
}

const DEFAULT_CHANNELS: Channel[] = ['inbox', 'email'];

export const RULES: RuleDef[] = [
  { id: 'new-lead', description: 'a new lead enters the system', event: 'lead.created', template: 'new-lead', defaults: { on: true, to: ['rep', 'admins'], channels: DEFAULT_CHANNELS } },
  { id: 'junk-lead', description: 'a new lead is filed as junk', event: 'lead.junk', template: 'junk-lead', defaults: { on: false, to: ['admins'], channels: ['inbox'] } },
  { id: 'duplicate-lead', description: 'someone tries to add a lead that already exists', event: 'lead.duplicate', template: 'duplicate-lead', defaults: { on: true, to: ['rep', 'admins'], channels: DEFAULT_CHANNELS } },
  {
    id: 'contact-attempt', description: "a rep tries to add a contact of a lead they may not see (its owners, else the rep's manager, else admins; with the rep's input)",
    event: 'lead.contact-attempt', template: 'contact-attempt', defaults: { on: true, to: ['rep'], channels: ['inbox'] },
  },
  { id: 're-engaged', description: 'a lost, junk or archived lead comes back', event: 'lead.reengaged', template: 're-engaged', defaults: { on: true, to: ['rep'], channels: DEFAULT_CHANNELS } },
  { id: 'not-attempted', description: 'a lead has had no activity N minutes after creation (notify.not-attempted-minutes)', event: 'lead.not-attempted', template: 'not-attempted', defaults: { on: true, to: ['rep'], channels: DEFAULT_CHANNELS } },
  {
    id: 'lost-lead', description: 'a lead from one of notify.lost-sources is lost', event: 'lead.lost', template: 'lost-lead',
    defaults: { on: true, to: ['managers'], channels: DEFAULT_CHANNELS },
    when: ({ settings, source }) => {
      const sources = (settings['notify.lost-sources'] ?? 'online,ivr').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
      return source !== null && sources.includes(source.toLowerCase());
    },
  },
  {
    id: 'followup-reminder', description: "a follow-up's notify-before time has come (on the reminder's own channel, if the rule allows it)", event: 'followup.reminder', template: 'followup-reminder',
    defaults: { on: true, to: ['rep'], channels: ['inbox', 'email', 'sms', 'whatsapp'] },
  },
  { id: 'missed-followup', description: 'a follow-up is past its end and still scheduled or open; once per follow-up', event: 'followup.missed', template: 'missed-followup', defaults: { on: true, to: ['rep', 'managers'], channels: DEFAULT_CHANNELS } },
  { id: 'demo-confirmed', description: 'a demo is confirmed', event: 'demo.confirmed', template: 'demo-confirmed', defaults: { on: true, to: ['client', 'managers', 'rep'], channels: DEFAULT_CHANNELS } },
  { id: 'demo-completed', description: 'a demo is completed', event: 'demo.completed', template: 'demo-completed', defaults: { on: true, to: ['client', 'managers', 'rep'], channels: DEFAULT_CHANNELS } },
  { id: 'appointments-today', description: "each of the day's appointments, at daemon.time.appointments (07:00)", event: 'appointment.today', template: 'appointments-today', defaults: { on: true, to: ['client', 'rep'], channels: DEFAULT_CHANNELS } },
  { id: 'demo-soon', description: 'a demo starts within the hour; once per demo', event: 'demo.soon', template: 'demo-soon', defaults: { on: true, to: ['client', 'managers', 'rep'], channels: DEFAULT_CHANNELS } },
  {
    id: 'daily-report', description: "today's completed and tomorrow's confirmed demos, the day's leads by user, source and status, at daemon.time.daily-report (19:00)",
    event: 'report.daily', template: 'daily-report', defaults: { on: true, to: ['managers'], channels: DEFAULT_CHANNELS },
  },
  {
    id: 'proposal-expiring', description: "a sent proposal's last valid day is proposal.remind-days away; once per revision", event: 'proposal.expiring', template: 'proposal-expiring',
    defaults: { on: true, to: ['rep'], channels: DEFAULT_CHANNELS },
  },
  {
    id: 'ticket-sla-breach', description: "a ticket misses its first-response or resolution target (ticket.sla.<priority>); once per target and ticket", event: 'ticket.sla-breach', template: 'ticket-sla-breach',
    defaults: { on: true, to: ['rep', 'managers'], channels: DEFAULT_CHANNELS },
  },
  { id: 'proposal-decided', description: 'a customer accepts or rejects a proposal in the portal (to the lead\'s reps)', event: 'proposal.decided', template: 'proposal-decided', defaults: { on: true, to: ['rep'], channels: DEFAULT_CHANNELS } },
  { id: 'portal-order-request', description: 'a customer asks for an order in the portal: a draft order to review (to the lead\'s reps)', event: 'portal.order-request', template: 'portal-order-request', defaults: { on: true, to: ['rep'], channels: DEFAULT_CHANNELS } },
  { id: 'ticket-customer-reply', description: "a customer answers a ticket by email (to its assignee, else the lead's reps)", event: 'ticket.customer-reply', template: 'ticket-customer-reply', defaults: { on: true, to: ['rep'], channels: ['inbox'] } },
];

/** Messages that are not a switchable rule (a scheduled report: its own definition says who gets it): rule id → template. */
export const SYSTEM_TEMPLATES: Record<string, string> = keyed({ 'scheduled-report': 'scheduled-report' });

/** The template a stored message is rendered with (undefined: a rule this version does not know). */
export function templateOf(ruleId: string): string | undefined {
  return RULES.find((r) => r.id === ruleId)?.template ?? SYSTEM_TEMPLATES[ruleId];
}

export function findRule(id: string): RuleDef {
  const rule = RULES.find((r) => r.id === id);
  if (!rule) throw new UsageError(`unknown rule '${id}'`, `rules are: ${RULES.map((r) => r.id).join(', ')}`);
  return rule;
}

const settingKey = (id: string) => `notify.rule.${id}`;

/** A rule's configuration: the stored override (setting notify.rule.<id>, JSON) over its defaults. */
export function ruleConfig(rule: RuleDef, settings: Record<string, string>): RuleConfig {
  const raw = settings[settingKey(rule.id)];
  if (!raw) return rule.defaults;
  try {
    const c = JSON.parse(raw) as Partial<RuleConfig>;
    return { on: c.on ?? rule.defaults.on, to: c.to ?? rule.defaults.to, channels: c.channels ?? rule.defaults.channels };
  } catch {
    return rule.defaults;
  }
}

export async function saveRuleConfig(store: Store, rule: RuleDef, config: RuleConfig): Promise<void> {
  await store.settings.set(settingKey(rule.id), JSON.stringify(config));
}

export function parseChannels(raw: string[]): Channel[] {
  const out = raw.map((c) => c.trim().toLowerCase()).filter(Boolean);
  for (const c of out) if (!(CHANNELS as readonly string[]).includes(c)) throw new UsageError(`unknown channel '${c}'`, `channels are: ${CHANNELS.join(', ')}`);
  return [...new Set(out)] as Channel[];
}

/** Channels for an opt-out: the notification channels and `call` (do not call). */
export function parseOptOutChannels(raw: string[]): OptOutChannel[] {
  const out = raw.map((c) => c.trim().toLowerCase()).filter(Boolean);
  for (const c of out) if (!(OPT_OUT_CHANNELS as readonly string[]).includes(c)) throw new UsageError(`unknown channel '${c}'`, `channels are: ${OPT_OUT_CHANNELS.join(', ')}`);
  return [...new Set(out)] as OptOutChannel[];
}

export function parseRecipients(raw: string[]): Recipient[] {
  const out = raw.map((c) => c.trim().toLowerCase()).filter(Boolean);
  for (const c of out) if (!(RECIPIENTS as readonly string[]).includes(c)) throw new UsageError(`unknown recipient '${c}'`, `recipients are: ${RECIPIENTS.join(', ')}`);
  return [...new Set(out)] as Recipient[];
}
