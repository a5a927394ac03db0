import { UsageError } from '../../errors.js';
import type { Channel, Store } from '../../store/types.js';
import { CHANNELS } from '../../store/types.js';

/** Who a rule can notify: the lead's assigned reps, admins, managers (of the assigned reps), the lead's contact. */
export const RECIPIENTS = ['rep', 'admins', 'managers', 'client'] as const;
export type Recipient = (typeof RECIPIENTS)[number];

/** What happened; each event names its lead and a key unique to this occurrence (part of the idempotency key). */
export type EventType = 'lead.created' | 'lead.junk' | 'lead.duplicate' | 'lead.reengaged' | 'lead.lost' | 'lead.not-attempted';
export interface NotifyEvent {
  type: EventType;
  leadId: number;
  at: string;
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

/**
 * A notification rule (N4). Rules of later features (follow-up reminders, missed follow-ups,
 * demo confirmed/completed, the 07:00 appointment message, 1 h before a demo, the 19:00 report)
 * are added to RULES with their own event types; nothing else changes.
 */
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
];

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

export function parseRecipients(raw: string[]): Recipient[] {
  const out = raw.map((c) => c.trim().toLowerCase()).filter(Boolean);
  for (const c of out) if (!(RECIPIENTS as readonly string[]).includes(c)) throw new UsageError(`unknown recipient '${c}'`, `recipients are: ${RECIPIENTS.join(', ')}`);
  return [...new Set(out)] as Recipient[];
}
